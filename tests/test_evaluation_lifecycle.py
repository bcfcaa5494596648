"""Evaluation publication as a lifecycle (EVALUATION_LIFECYCLE, catalogue/models/evaluations.py): the table the
services step through and the admin's 公开/撤回公开 buttons read, with the state derived from `published`
(no status column). A step the table does not list is refused in today's words and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import Evaluation
from catalogue.models.evaluations import EVALUATION_LIFECYCLE
from catalogue.models.lifecycles import Lifecycle
from catalogue.services import publish_evaluation, withdraw_evaluation
from tests import factories as f
from tests.contract_builders import municipal, published_item, recorded_evaluation, saved_contract

Publication, Action = Evaluation.Publication, Evaluation.Action


def test_the_lifecycle_is_a_table_of_the_two_publication_states():
    assert isinstance(EVALUATION_LIFECYCLE, Lifecycle)
    assert EVALUATION_LIFECYCLE.transitions == {
        Action.PUBLISH: ({Publication.UNPUBLISHED}, Publication.PUBLISHED),
        Action.WITHDRAW: ({Publication.PUBLISHED}, Publication.UNPUBLISHED),
    }


def test_the_state_is_read_from_and_written_to_the_published_boolean():
    row = Evaluation()
    assert (row.publication, row.get_publication_display()) == (Publication.UNPUBLISHED, "未公开")
    row.publication = Publication.PUBLISHED
    assert row.published is True and row.is_frozen
    assert Evaluation(publication=Publication.UNPUBLISHED).published is False


def test_a_listed_step_moves_the_state_and_names_the_reason():
    row = Evaluation(published=False)
    assert EVALUATION_LIFECYCLE.available(row) == [Action.PUBLISH]
    assert EVALUATION_LIFECYCLE.step(row, Action.PUBLISH) == (Publication.UNPUBLISHED, Publication.PUBLISHED)
    assert row.published and row._change_reason == "公开评价结果"
    assert EVALUATION_LIFECYCLE.available(row) == [Action.WITHDRAW]
    EVALUATION_LIFECYCLE.step(row, Action.WITHDRAW, reason="第三方得分录入有误")
    assert not row.published and row._change_reason == "撤回公开：第三方得分录入有误"


def test_a_step_the_table_does_not_list_is_refused_in_todays_words_and_changes_nothing():
    published = Evaluation(published=True, published_on=date(2018, 3, 1))
    assert not EVALUATION_LIFECYCLE.state_allows(Action.PUBLISH)(published)
    with pytest.raises(ValidationError) as refused:
        EVALUATION_LIFECYCLE.step(published, Action.PUBLISH)
    assert refused.value.messages == ["该评价结果已于2018-03-01公开。"]
    assert published.published and published.published_on == date(2018, 3, 1)

    hidden = Evaluation(published=False)
    assert not EVALUATION_LIFECYCLE.state_allows(Action.WITHDRAW)(hidden)
    with pytest.raises(ValidationError) as refused:
        EVALUATION_LIFECYCLE.step(hidden, Action.WITHDRAW, reason="核对")
    assert refused.value.messages == ["该评价结果尚未公开。"]
    assert not hidden.published


def test_the_services_step_through_the_table_and_keep_the_date():
    reviewer = municipal()
    item = published_item(budget=Decimal("1000000"))
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    signed = saved_contract(item, provider, reviewer, value=Decimal("100000"))
    result = recorded_evaluation(signed, reviewer, 80, 80, 80)
    published = publish_evaluation(result, by=reviewer, published_on=date(2018, 3, 1))
    assert (published.publication, published.published_on) == (Publication.PUBLISHED, date(2018, 3, 1))
    assert published.history.first().history_change_reason == "公开评价结果"
    with pytest.raises(ValidationError, match="已于2018-03-01公开"):
        publish_evaluation(result, by=reviewer)
    withdrawn = withdraw_evaluation(result, by=reviewer, reason="第三方得分录入有误")
    assert (withdrawn.publication, withdrawn.published_on) == (Publication.UNPUBLISHED, None)
    with pytest.raises(ValidationError, match="尚未公开"):
        withdraw_evaluation(result, by=reviewer, reason="再撤一次")
    assert Evaluation.objects.get(pk=result.pk).published is False
