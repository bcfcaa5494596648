"""Helpers for the staff admin tests: the demo roles with their groups, admin URLs, form payloads,
and a fingerprint of the database to prove an attempt wrote nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import (
    Catalogue,
    CatalogueItem,
    PilotItem,
    PilotTransition,
    Provider,
    PurchasingBody,
    Region,
    ServiceCategory,
    StaffProfile,
)
from tests import factories as f

User = get_user_model()


def demo_roles():
    """shicaizheng, xianan, chibi, minzheng (DOMAIN.md §11), in their groups, as setup_roles leaves them."""
    users = {
        "shicaizheng": f.municipal("shicaizheng"),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department("minzheng", f.purchasing_body("咸宁市民政局")),
    }
    call_command("setup_roles", verbosity=0, stdout=_Null())
    return users


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def operation_url(obj, name):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_operation", args=[obj.pk, name])


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def inline_management(prefix, total=0, initial=0, min_num=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": str(min_num),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def edition_post(edition, **overrides):
    data = {
        "region": edition.region_id,
        "year": str(edition.year),
        "revision": str(edition.revision),
        "title": edition.title,
        "status": edition.status,
        "document_number": edition.document_number,
        "published_on": edition.published_on.isoformat() if edition.published_on else "",
        "notes": edition.notes,
        "_save": "保存",
        **inline_management("items"),
    }
    data.update(overrides)
    return data


def item_post(item, **overrides):
    data = {
        "edition": item.edition_id,
        "category": item.category_id,
        "code": item.code,
        "name": item.name,
        "content": item.content,
        "purchasing_bodies": [body.pk for body in item.purchasing_bodies.all()],
        "provider_requirements": item.provider_requirements,
        "procurement_method": item.procurement_method,
        "performance_standard": item.performance_standard,
        "budget": "" if item.budget is None else str(item.budget),
        "notes": item.notes,
        "_save": "保存",
    }
    if item.is_pilot:
        data["is_pilot"] = "on"
    data.update(overrides)
    return data


def pilot_post(pilot, **overrides):
    data = {
        "region": pilot.region_id,
        "fiscal_year": str(pilot.fiscal_year),
        "category": pilot.category_id,
        "name": pilot.name,
        "content": pilot.content,
        "purchasing_bodies": [body.pk for body in pilot.purchasing_bodies.all()],
        "procurement_method": pilot.procurement_method,
        "planned_budget": str(pilot.planned_budget),
        "provider_requirements": pilot.provider_requirements,
        "performance_standard": pilot.performance_standard,
        "reason": pilot.reason,
        "negative_list_confirmed": "on",
        "notes": pilot.notes,
        "_save": "保存",
    }
    data.update(overrides)
    return data


def body_post(body, **overrides):
    data = {
        "name": body.name,
        "short_name": body.short_name,
        "region": body.region_id,
        "kind": body.kind,
        "credit_code": body.credit_code,
        "parent": body.parent_id or "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def fingerprint():
    """Every row the admin could write, as plain values: equal before and after means nothing was written."""
    tables = {
        "editions": Catalogue.objects.order_by("pk").values(),
        "items": CatalogueItem.objects.order_by("pk").values(),
        "item_bodies": CatalogueItem.purchasing_bodies.through.objects.order_by("pk").values(),
        "pilots": PilotItem.objects.order_by("pk").values(),
        "pilot_bodies": PilotItem.purchasing_bodies.through.objects.order_by("pk").values(),
        "transitions": PilotTransition.objects.order_by("pk").values(),
        "bodies": PurchasingBody.objects.order_by("pk").values(),
        "providers": Provider.objects.order_by("pk").values(),
        "regions": Region.objects.order_by("pk").values(),
        "categories": ServiceCategory.objects.order_by("pk").values(),
        "users": User.objects.order_by("pk").values(
            "username", "password", "is_active", "is_staff", "is_superuser", "first_name", "last_name", "email"
        ),
        "user_groups": User.groups.through.objects.order_by("pk").values(),
        "user_permissions": User.user_permissions.through.objects.order_by("pk").values(),
        "profiles": StaffProfile.objects.order_by("pk").values(),
        "groups": Group.permissions.through.objects.order_by("pk").values(),
        "history": [
            model.history.count() for model in (Catalogue, CatalogueItem, PilotItem, Provider)
        ],
    }
    return {name: list(rows) for name, rows in tables.items()}
