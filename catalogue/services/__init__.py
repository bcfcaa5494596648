"""Operations that change state: each checks the transition and the user's right, runs in one
transaction with the rows locked, and records who, when and why. The admin's actions, the forms,
the import and the tests all call these, so every path obeys the same rules."""

from .editions import open_next_year, open_revision, publish_edition, withdraw_edition
from .pilots import approve_pilot_item, return_pilot_item, submit_pilot_item

__all__ = [
    "approve_pilot_item",
    "open_next_year",
    "open_revision",
    "publish_edition",
    "return_pilot_item",
    "submit_pilot_item",
    "withdraw_edition",
]
