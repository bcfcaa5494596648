"""Who created a row and when it changed are declared once (catalogue/models/base.py: Timestamped, Recorded,
account_field), and read the same on every model that keeps them."""

import pytest
from django.db import models

from catalogue.models import Catalogue, CatalogueItem, Contract, Evaluation, PilotItem
from catalogue.models.base import Recorded, Timestamped


@pytest.mark.parametrize("model", [Catalogue, Contract, Evaluation, PilotItem], ids=lambda model: model.__name__)
def test_a_recorded_model_keeps_its_creator_and_times_from_the_one_abstract_model(model):
    assert issubclass(model, Recorded)
    creator = model._meta.get_field("created_by")
    assert not creator.editable and creator.null and creator.remote_field.on_delete is models.SET_NULL
    assert model._meta.get_field("created_at").auto_now_add
    assert model._meta.get_field("updated_at").auto_now


def test_an_item_keeps_its_times_from_the_one_abstract_model():
    assert issubclass(CatalogueItem, Timestamped) and not issubclass(CatalogueItem, Recorded)


def test_the_policy_names_each_creator_in_its_own_word():
    names = {model.__name__: str(model._meta.get_field("created_by").verbose_name) for model in (Catalogue, Contract, Evaluation, PilotItem)}
    assert names == {"Catalogue": "创建人", "Contract": "录入人", "Evaluation": "录入人", "PilotItem": "填报人"}
