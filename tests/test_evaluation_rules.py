"""How an evaluation's weights read (catalogue/evaluation_rules.weights_text): in the parts' order, whatever order
the weights were given in; the admin's result field shows it beside the score."""

from catalogue import evaluation_rules as rules
from catalogue.models import Evaluation


def test_the_weights_read_in_the_parts_order():
    assert rules.weights_text(rules.DEFAULT_WEIGHTS) == "自评40%、服务对象满意度30%、第三方评价30%"
    shuffled = {"third_party": 20, "self": 50, "satisfaction": 30}
    assert rules.weights_text(shuffled) == "自评50%、服务对象满意度30%、第三方评价20%"


def test_an_evaluation_reads_the_weights_it_was_computed_with():
    stored = Evaluation(weight_self=60, weight_satisfaction=20, weight_third_party=20)
    assert rules.weights_text(stored.weights) == "自评60%、服务对象满意度20%、第三方评价20%"
