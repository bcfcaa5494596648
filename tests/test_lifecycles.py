"""One shape for every lifecycle (catalogue/models/lifecycles.py): a table, and one helper applying a step.

Editions, pilot items, qualifications and evaluation results (their publication) each declare a Lifecycle; the services step through it and the
admin's buttons read state_allows from it, so a move the table does not list is refused everywhere alike.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import (
    EDITION_LIFECYCLE,
    EVALUATION_LIFECYCLE,
    PILOT_LIFECYCLE,
    QUALIFICATION_LIFECYCLE,
    Catalogue,
    Evaluation,
    PilotItem,
    Provider,
    Region,
)
from catalogue.models.lifecycles import Lifecycle

LIFECYCLES = {
    "edition": (EDITION_LIFECYCLE, Catalogue, Catalogue.Status),
    "pilot": (PILOT_LIFECYCLE, PilotItem, PilotItem.Status),
    "qualification": (QUALIFICATION_LIFECYCLE, Provider, Provider.QualificationStatus),
    "evaluation publication": (EVALUATION_LIFECYCLE, Evaluation, Evaluation.Publication),
}


def _row(model, lifecycle, state):
    extra = {"region": Region(name="咸安区", slug="xianan"), "year": 2017, "revision": 1} if model is Catalogue else {}
    return model(**{lifecycle.status_field: state}, **extra)


@pytest.mark.parametrize("name", LIFECYCLES)
def test_each_lifecycle_is_a_table_of_known_states(name):
    lifecycle, _model, states = LIFECYCLES[name]
    assert isinstance(lifecycle, Lifecycle)
    for action, (sources, target) in lifecycle.transitions.items():
        assert sources and set(sources) <= set(states), action
        assert target in states.values, action


@pytest.mark.parametrize("name", LIFECYCLES)
def test_a_step_the_table_does_not_list_is_refused_and_changes_nothing(name):
    lifecycle, model, states = LIFECYCLES[name]
    for action, (sources, _target) in lifecycle.transitions.items():
        for state in set(states.values) - set(sources):
            row = _row(model, lifecycle, state)
            with pytest.raises(ValidationError):
                lifecycle.step(row, action)
            assert getattr(row, lifecycle.status_field) == state


@pytest.mark.parametrize("name", LIFECYCLES)
def test_a_listed_step_moves_the_state_and_names_the_reason(name):
    lifecycle, model, _states = LIFECYCLES[name]
    for action, (sources, target) in lifecycle.transitions.items():
        for state in sources:
            row = _row(model, lifecycle, state)
            assert lifecycle.state_allows(action)(row)
            assert lifecycle.step(row, action, reason="核对") == (state, target)
            assert getattr(row, lifecycle.status_field) == target
            assert row._change_reason.endswith("核对")


def test_the_pilot_item_notes_when_its_state_changed():
    row = PilotItem(status=PilotItem.Status.DRAFT)
    PILOT_LIFECYCLE.step(row, PilotItem.Action.SUBMIT)
    assert row.status_changed_at is not None
    assert row.allowed_actions() == [PilotItem.Action.WITHDRAW, PilotItem.Action.RETURN, PilotItem.Action.APPROVE]


@pytest.mark.django_db
def test_a_step_names_who_took_it_in_the_history_without_a_request():
    """A service run by a script has no request for simple_history to read the user from: step(by=…) names him."""
    from catalogue.services import publish_edition, withdraw_edition
    from tests import factories as f

    city = f.municipal()
    draft = f.edition("xianan", 2018, status=Catalogue.Status.DRAFT)
    f.item(draft)
    publish_edition(draft, by=city, document_number="咸安财〔2018〕1号", published_on=date(2018, 3, 1))
    assert draft.history.latest().history_user == city
    withdraw_edition(draft, by=city, reason="文号有误")
    latest = draft.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Catalogue.Status.WITHDRAWN,
        city,
        "文号有误",
    )
