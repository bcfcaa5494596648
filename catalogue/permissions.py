"""Who may do what: one place, beside catalogue/scopes.py (who sees what).

scopes.py narrows every queryset (visible_to); this module answers the questions a service, an admin
operation and the import ask before they change something, so each rule is written once:

* may_review: municipal finance (市财政局; a superuser acts as it) decides — approves and returns pilot
  items, publishes and withdraws editions, qualifies providers, sets the evaluation weights
  (咸政办发〔2015〕39号 三; DOMAIN.md §11). It is the one office whose scope is the whole city, so the
  role test is Scope.sees_everything; the name says what it permits, not what it sees.
* is_finance: a finance office, the city's or a county's (财政部门): publishes evaluation results,
  opens editions of its own region.
* acts_for_region: municipal finance, or the county office of that region.
* in_object_scope: the object-scope check of a record with a region and a purchasing body
  (a contract and its evaluation): municipal finance any, a county office its region's, department
  staff their own body's.
* may_submit_pilot_item: a county office submits its own region's pilot items (a superuser may too);
  municipal finance reviews, it does not submit.

may_act_on(user, obj, action) is the one door: services call it (or the helpers) and raise
PermissionDenied; the admin's Operation declarations read the same helpers for their buttons.
"""

from catalogue.scopes import Scope

# Actions may_act_on knows (plain names, not user-visible).
CHANGE = "change"
PUBLISH = "publish"
IMPORT = "import"
PREVIEW = "preview"
SUBMIT = "submit"
REVIEW = "review"
OPEN = "open"


def _scope(who):
    return who if isinstance(who, Scope) else Scope.of(who)


def may_review(who):
    """Municipal finance (or a superuser): the reviewer and publisher of the policy."""
    return _scope(who).sees_everything


def is_finance(who):
    """A finance office: municipal finance (or a superuser) or a county finance office."""
    scope = _scope(who)
    return scope.sees_everything or scope.is_county


def acts_for_region(who, region_id):
    """Municipal finance, or the county finance office of `region_id`."""
    scope = _scope(who)
    return scope.sees_everything or (scope.is_county and scope.region_id == region_id)


def in_object_scope(who, *, region_id, body_id):
    """A record of `region_id` bought by `body_id`: municipal finance any, a county office its region's,
    department staff their own body's; nobody else."""
    scope = _scope(who)
    if scope.sees_everything:
        return True
    if scope.is_county:
        return region_id == scope.region_id
    if scope.is_department:
        return body_id == scope.body_id
    return False


def may_submit_pilots(who):
    """Whether this role submits pilot items at all (the 报送 button): county offices, and a superuser."""
    scope = _scope(who)
    return scope.is_county or scope.role == Scope.SUPERUSER


def may_submit_pilot_item(who, pilot):
    """A county office submits (and withdraws) its own region's pilot items; a superuser any."""
    scope = _scope(who)
    return scope.role == Scope.SUPERUSER or (scope.is_county and scope.region_id == pilot.region_id)


def may_import_into(user, edition):
    """Whether `user` may add items to `edition` by import (its status is checked separately): municipal
    finance, the county office of its region, department staff where the edition is theirs to see."""
    from catalogue.models import Catalogue

    scope = Scope.of(user)
    if scope.is_department:
        return Catalogue.objects.visible_to(user).filter(pk=edition.pk).exists()
    return acts_for_region(scope, edition.region_id)


def may_edit_item(user, item):
    """Whether `user` may add or change `item` in its edition (whether the edition is a draft is checked
    separately, under its lock): the item as stored is one the user sees (CatalogueItem.objects.visible_to)
    and the edition it goes into is one of the user's (Catalogue.objects.visible_to: the region's)."""
    from catalogue.models import Catalogue, CatalogueItem

    if item.pk is not None and not CatalogueItem.objects.visible_to(user).filter(pk=item.pk).exists():
        return False
    return Catalogue.objects.visible_to(user).filter(pk=item.edition_id).exists()


def may_mark_pilot(who):
    """Only municipal finance sets or changes an item's 试点 flag: elsewhere a pilot item comes from the
    review of a county's submission (DOMAIN.md §9; catalogue/services/pilots.py). The item form shows the
    flag read-only, the import refuses or keeps it, the item service refuses a change."""
    return may_review(who)


def may_move_item(who):
    """Moving an item from one edition to another is a finance office's: department staff maintain their
    body's items where they are (the item form shows 所属目录 read-only to them; the item service refuses)."""
    return is_finance(who)


def may_record_body(who, body):
    """A county office records its own region's purchasing bodies; municipal finance every region's."""
    return acts_for_region(who, body.region_id)


# What department_bodies_refusal answers when it refuses.
OWN_BODY_MISSING = "own_body_missing"
OTHER_BODIES_CHANGED = "other_bodies_changed"


def department_bodies_refusal(who, before, chosen):
    """Department staff maintain the items their own body buys (DOMAIN.md §11): their body stays among the
    item's purchasing bodies, and the other bodies (ids `before`, as stored; none for a new item) stay as
    they are. None when `chosen` (ids) is allowed, else OWN_BODY_MISSING or OTHER_BODIES_CHANGED; other
    roles are never refused here (their scope narrows the bodies offered)."""
    scope = _scope(who)
    if not scope.is_department:
        return None
    chosen, before = set(chosen), set(before)
    if scope.body_id not in chosen:
        return OWN_BODY_MISSING
    if chosen - {scope.body_id} != before - {scope.body_id}:
        return OTHER_BODIES_CHANGED
    return None


def department_bodies_message(who, refusal):
    """The item form's (and the item service's) wording of a department_bodies_refusal."""
    from django.utils.translation import gettext

    from catalogue.models import PurchasingBody

    if refusal == OWN_BODY_MISSING:
        return gettext("部门账号只能维护本单位购买的事项：购买主体中须保留“%(body)s”。") % {
            "body": PurchasingBody.objects.get(pk=_scope(who).body_id)
        }
    return gettext("部门账号不能增加或去掉其他单位的购买主体，请联系本级财政部门。")


def may_manage_account(who, account):
    """A superuser keeps every staff account; municipal finance keeps the county and department accounts
    (and new, unbound ones), never a superuser's, another municipal account or its own (DOMAIN.md §11);
    nobody else keeps accounts."""
    from catalogue.roles import GRANTABLE_ROLES

    if who.is_superuser:
        return True
    if not may_review(who):
        return False
    profile = getattr(account, "staff_profile", None)
    role = profile.role if profile is not None else None
    return not account.is_superuser and role in (None, *GRANTABLE_ROLES) and account.pk != who.pk


def may_read_qualification_file(user, provider):
    """A provider's qualification file (its condition checks and their evidence, its status trail, its history) is
    read by those who decide on it (Provider.objects.qualification_files_open_to: municipal finance, the county
    office of its region); a provider not yet saved, by whoever may add one (municipal finance)."""
    from catalogue.models import Provider

    if provider is None or provider.pk is None:
        return may_review(user)
    return Provider.objects.qualification_files_open_to(user).filter(pk=provider.pk).exists()


_RULES = {
    ("catalogue.contract", CHANGE): lambda user, contract: in_object_scope(
        user, region_id=contract.region_id, body_id=contract.purchasing_body_id
    ),
    ("catalogue.contract", PUBLISH): lambda user, contract: acts_for_region(user, contract.region_id),
    ("catalogue.catalogue", IMPORT): may_import_into,
    # The whole draft as the public will see it; department staff see only their own body's items of a
    # draft (catalogue/scopes.py), so not the preview.
    ("catalogue.catalogue", PREVIEW): lambda user, edition: acts_for_region(user, edition.region_id),
    ("catalogue.catalogue", OPEN): lambda user, edition: acts_for_region(user, edition.region_id),
    ("catalogue.catalogue", PUBLISH): lambda user, edition: may_review(user),
    ("catalogue.catalogueitem", CHANGE): may_edit_item,
    ("catalogue.pilotitem", SUBMIT): may_submit_pilot_item,
    # Writing a pilot item (saving or deleting a draft, catalogue/services/pilots.py) is the submitter's:
    # municipal finance reviews through 通过 / 退回 and never rewrites a county's proposal.
    ("catalogue.pilotitem", CHANGE): may_submit_pilot_item,
    ("catalogue.pilotitem", REVIEW): lambda user, pilot: may_review(user),
}


def may_act_on(user, obj, action):
    """Whether `user` may do `action` to `obj`; an action no rule names is refused (fails closed)."""
    rule = _RULES.get((obj._meta.label_lower, action))
    return bool(rule and rule(user, obj))
