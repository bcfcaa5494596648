"""Operations that change state: each checks the transition and the user's right, runs in one
transaction with the rows locked, and records who, when and why. The admin's actions, the forms,
the import and the tests all call these, so every path obeys the same rules."""

from .accounts import save_staff_account
from .bodies import save_purchasing_body
from .contracts import save_contract
from .editions import open_next_year, open_revision, publish_edition, save_edition_draft, withdraw_edition
from .evaluations import publish_evaluation, record_evaluation, set_evaluation_weights, withdraw_evaluation
from .items import delete_item, save_item
from .pilots import (
    approve_pilot_item,
    delete_pilot_draft,
    return_pilot_item,
    save_pilot_draft,
    submit_pilot_item,
    withdraw_pilot_submission,
)
from .providers import (
    check_condition,
    qualify_provider,
    record_check,
    reinstate_provider,
    revoke_provider,
    suspend_provider,
)

__all__ = [
    "approve_pilot_item",
    "check_condition",
    "delete_item",
    "delete_pilot_draft",
    "open_next_year",
    "open_revision",
    "publish_edition",
    "publish_evaluation",
    "qualify_provider",
    "record_check",
    "record_evaluation",
    "reinstate_provider",
    "return_pilot_item",
    "revoke_provider",
    "save_pilot_draft",
    "save_contract",
    "save_edition_draft",
    "save_item",
    "save_purchasing_body",
    "save_staff_account",
    "set_evaluation_weights",
    "submit_pilot_item",
    "suspend_provider",
    "withdraw_edition",
    "withdraw_evaluation",
    "withdraw_pilot_submission",
]
