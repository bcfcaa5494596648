"""Turn the demo data of this package into rows, so that running it again changes nothing.

Every row is found by its natural key (a body's region and name, a
provider's credit code, an edition's region, year and revision, an item's
edition and code, a username) and written only when it differs from the data:
a second run makes no writes, so it adds no history records either.

Items are written the way a clerk would have to: while their edition is a
draft (CatalogueItem.clean refuses changes to a published edition), and the
edition is given its final state afterwards. Revisions of one region and year
are handled in order, the superseded one first, so at most one is ever
published.
"""

import zlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation

from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Provider,
    PurchasingBody,
    Region,
    ServiceCategory,
    StaffProfile,
)
from catalogue.roles import ROLE_GROUPS
from catalogue.services.items import delete_item, save_item
from catalogue.services.publication import record_publication

from . import accounts, bodies, contracts, editions, items, pilots, providers
from .codes import credit_code

CITY_SLUG = "xianning"


@dataclass
class ItemSpec:
    code: str
    category: ServiceCategory
    values: dict
    bodies: list


class DemoBuilder:
    """Builds the demo; `stats` counts what it created and updated, per model."""

    def __init__(self, warn=None):
        self.warn = warn or (lambda message: None)
        self.stats = Counter()
        self._created = set()
        self._password_hash = None
        self._verified_hashes = {}

    def run(self):
        with translation.override("zh-hans"):
            self.ensure_reference_data()
            self.regions = {region.slug: region for region in Region.objects.all()}
            self.categories = {
                category.code: category
                for category in ServiceCategory.objects.select_related("parent__parent").prefetch_related("children")
            }
            self.build_bodies()
            self.build_providers()
            self.build_accounts()
            self.build_editions()
            contracts.build(self)  # qualification checks and trail, contracts, evaluations (catalogue/demo/contracts.py)
            pilots.build(self)  # pilot items waiting in the work queues (catalogue/demo/pilots.py)
        return self.stats

    # Reference data ------------------------------------------------------

    def ensure_reference_data(self):
        """Load the real regions and categories when `make run` has not (DOMAIN.md §§2-3)."""
        fixtures_dir = Path(settings.BASE_DIR) / "fixtures"
        needed = {CITY_SLUG, "xn-htz", *bodies.COUNTY_SLUGS}
        fixtures = []
        if Region.objects.filter(slug__in=needed).count() < len(needed):
            fixtures.append(str(fixtures_dir / "regions.json"))
        if not ServiceCategory.objects.exists():
            fixtures.append(str(fixtures_dir / "categories.json"))
        if fixtures:
            call_command("loaddata", *fixtures, verbosity=0)

    # Generic upsert ------------------------------------------------------

    def upsert(self, model, lookup, values, m2m=None, clean=True):
        """Find the row by `lookup`; create it, or save it only where `values` differ."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            if clean:
                obj.full_clean()
            obj.save()
            self.stats[model._meta.verbose_name, "created"] += 1
            self._created.add((model, obj.pk))
            changed = False
        else:
            differing = [name for name, value in values.items() if not _same(obj, name, value)]
            for name in differing:
                setattr(obj, name, values[name])
            if differing:
                if clean:
                    obj.full_clean()
                obj.save()
            changed = bool(differing)
        for name, related in (m2m or {}).items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != {other.pk for other in related}:
                manager.set(related)
                changed = True
        if changed and (model, obj.pk) not in self._created:
            self.stats[model._meta.verbose_name, "updated"] += 1
        return obj

    # Purchasing bodies and providers ------------------------------------

    def build_bodies(self):
        self.bodies = {}
        for slug in [CITY_SLUG, *bodies.COUNTY_SLUGS, "xn-htz"]:
            region = self.regions[slug]
            for body in bodies.bodies_for(slug, region.name):
                code = credit_code(bodies.CODE_PREFIX[body.kind], region.code or bodies.ZONE_REGION_CODE, body.name)
                self.bodies[slug, body.key] = self.upsert(
                    PurchasingBody,
                    {"region": region, "name": body.name},
                    {
                        "short_name": body.short_name,
                        "kind": body.kind,
                        "credit_code": code,
                        "parent": self.bodies[slug, body.parent] if body.parent else None,
                    },
                )

    def build_providers(self):
        for data in providers.PROVIDERS:
            code = credit_code(data.code_prefix, providers.AUTHORITY_REGION[data.authority], data.name)
            self.upsert(
                Provider,
                {"credit_code": code},
                {
                    "name": data.name,
                    "kind": data.kind,
                    "registration_authority": data.authority,
                    "region": self.regions[data.region],
                    "qualification_status": data.status,
                    "qualified_from": data.since if data.status != providers.PENDING else None,
                    "qualified_until": data.until,
                    "evaluation_grade": data.grade,
                    "address": data.address,
                    "phone": data.phone,
                    "introduction": data.introduction,
                },
                m2m={"categories": [self.categories[code] for code in data.categories if code in self.categories]},
            )

    # Accounts -----------------------------------------------------------

    def build_accounts(self):
        call_command("setup_roles", verbosity=0)  # the single owner of the groups' permissions
        groups = {role: Group.objects.get(name=name) for role, name in ROLE_GROUPS.items()}
        self.users = {}
        for spec in accounts.USERS:
            user = self.upsert(
                get_user_model(),
                {"username": spec.username},
                {
                    "first_name": spec.display_name,
                    # An address on the reserved .example domain, so `make run` prints each 通知's email.
                    "email": f"{spec.username}@xianning.example",
                    "is_active": True,
                    "is_staff": True,
                    "is_superuser": not spec.role,
                },
                m2m={"groups": [groups[spec.role]]} if spec.role else None,
                clean=False,
            )
            self.ensure_demo_password(user)
            if spec.role:
                self.upsert(
                    StaffProfile,
                    {"user": user},
                    {
                        "role": spec.role,
                        "region": self.regions[spec.region] if spec.region else None,
                        "purchasing_body": self.body_named(spec.purchasing_body),
                    },
                )
            self.users[spec.username] = user

    def body_named(self, name):
        if not name:
            return None
        return next(body for body in self.bodies.values() if body.name == name)

    def ensure_demo_password(self, user):
        """Every demo account has the documented password; hashing it once keeps the seed fast."""
        if user.password not in self._verified_hashes:
            self._verified_hashes[user.password] = bool(user.password) and check_password(
                accounts.DEMO_PASSWORD, user.password
            )
        if self._verified_hashes[user.password]:
            return
        if self._password_hash is None:
            self._password_hash = make_password(accounts.DEMO_PASSWORD)
            self._verified_hashes[self._password_hash] = True
        user.password = self._password_hash
        user.save(update_fields=["password"])

    # Editions and items --------------------------------------------------

    def build_editions(self):
        creators = {
            CITY_SLUG: self.users.get("shicaizheng"),
            "xn-htz": self.users.get("shicaizheng"),
            "xianan": self.users.get("xianan"),
            "chibi": self.users.get("chibi"),
        }
        for spec in editions.EDITIONS:
            region = self.regions[spec.region]
            values = {
                "title": str(Catalogue.default_title(region, spec.year)),
                "document_number": spec.document_number,
                "published_on": spec.published_on,
                "notes": spec.notes,
                "created_by": creators.get(spec.region),
            }
            lookup = {"region": region, "year": spec.year, "revision": spec.revision}
            edition = Catalogue.objects.filter(**lookup).first()
            if edition is None:
                # Created as a draft: items may only be added to a draft.
                edition = self.upsert(Catalogue, lookup, {**values, "status": Catalogue.Status.DRAFT})
            items_changed = self.sync_items(edition, spec)
            edition = self.upsert(Catalogue, lookup, {**values, "status": spec.status})
            if edition.is_public and (items_changed or not edition.published_files.exists()):
                # What publish_edition records: the figures, the official files and a new public version.
                record_publication(edition, by=values["created_by"])

    def sync_items(self, edition, spec):
        """Make the edition's items those of the data, keyed by code.

        Only when something differs (a new edition, or demo data changed since
        the last run) is a published demo edition reopened as a draft for the
        moment, bypassing its history: it is the demo's own record, rewritten
        from the data, not an edition a clerk corrected.
        """
        existing = {item.code: item for item in edition.items.prefetch_related("purchasing_bodies")}
        creates, updates = [], []
        for item_spec in self.item_specs(spec):
            item = existing.pop(item_spec.code, None)
            if item is None:
                creates.append(item_spec)
            elif _item_differs(item, item_spec):
                updates.append((item, item_spec))
        # A draft may hold items staff added; a published edition is the seed's own record.
        extras = list(existing.values()) if spec.status != Catalogue.Status.DRAFT else []
        if not (creates or updates or extras):
            return False
        frozen_status = None if edition.is_draft else edition.status
        if frozen_status:
            Catalogue.objects.filter(pk=edition.pk).update(status=Catalogue.Status.DRAFT)
            edition.status = Catalogue.Status.DRAFT
        # Written as municipal finance would write them, through the item service (its lock, its rules).
        by = self.users["shicaizheng"]
        for item_spec in creates:
            item = CatalogueItem(edition=edition, category=item_spec.category, code=item_spec.code, **item_spec.values)
            save_item(item, by=by, purchasing_bodies=item_spec.bodies)
            self.stats[CatalogueItem._meta.verbose_name, "created"] += 1
        for item, item_spec in updates:
            item.category = item_spec.category
            for name, value in item_spec.values.items():
                setattr(item, name, value)
            item.edition = edition
            save_item(item, by=by, purchasing_bodies=item_spec.bodies)
            self.stats[CatalogueItem._meta.verbose_name, "updated"] += 1
        for item in extras:
            delete_item(item, by=by)
            self.stats[CatalogueItem._meta.verbose_name, "deleted"] += 1
        if frozen_status:
            Catalogue.objects.filter(pk=edition.pk).update(status=frozen_status)
            edition.status = frozen_status
        return True

    def item_specs(self, spec):
        """The items an edition carries, from the templates of the categories its region covers."""
        region = self.regions[spec.region]
        if spec.region == CITY_SLUG:
            codes = sorted({template.category for template in items.TEMPLATES})
        else:
            codes = sorted(items.COVERAGE[spec.region])
        if spec.year < 2017:
            codes = [code for code in codes if code not in items.ADDED_IN_2017.get(spec.region, ())]
        scope = items.CITY if spec.region == CITY_SLUG else items.COUNTY
        for code in codes:
            category = self.categories.get(code)
            if category is None or not category.is_leaf:
                self.warn(f"服务类别 {code} 不存在或不是末级类别，已跳过 / category {code} missing or not a leaf, skipped")
                continue
            if category.introduced_in > spec.year:
                continue
            templates = [t for t in items.TEMPLATES if t.category == code and t.scope in (items.ANY, scope)]
            for number, template in enumerate(templates, 1):
                if spec.tag in template.tags:
                    item_code = f"{code}-{number:02d}"
                    yield ItemSpec(
                        item_code, category, self.item_values(template, region, spec.tag, item_code),
                        self.item_bodies(template, region),
                    )

    def item_values(self, template, region, tag, item_code):
        content = template.content
        if isinstance(content, tuple):
            content = content[region.order % len(content)]
        values = {
            "name": template.name,
            "content": content,
            "provider_requirements": template.requirements,
            "procurement_method": template.method,
            "performance_standard": template.standard,
            "budget": template.budget,
            "notes": template.notes,
        }
        values.update(template.changes.get(tag, {}))
        for name in ("name", "content"):
            values[name] = (
                values[name]
                .replace("{region}", region.name)
                .replace("{heritage}", items.HERITAGE.get(region.slug, "本地传统戏曲和民间技艺"))
            )
        budget_changes = any("budget" in change for change in template.changes.values())
        values["budget"] = self.item_budget(values["budget"], region, item_code, keep=budget_changes)
        values["is_pilot"] = template.category in items.PILOTS.get(region.slug, ())
        return values

    @staticmethod
    def item_budget(city_budget, region, item_code, keep=False):
        """The budget in 元: a county's is scaled from the city's.

        Catalogues give a budget for only some items, so about a third of the
        city's and half of a county's are left open (the same items every
        year), except where the budget is what changed between editions.
        """
        if city_budget is None:
            return None
        leave_open = zlib.crc32(f"{region.slug}:{item_code}".encode()) % (3 if region.slug == CITY_SLUG else 2) == 0
        if leave_open and not keep:
            return None
        return Decimal(round(city_budget * items.BUDGET_FACTOR[region.slug], -3))

    def item_bodies(self, template, region):
        found = []
        for key in template.bodies:
            body = self.bodies[region.slug, bodies.resolve(region.slug, key)]
            if body not in found:
                found.append(body)
        return found


def _same(obj, name, value):
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _item_differs(item, item_spec):
    if item.category_id != item_spec.category.pk:
        return True
    if any(getattr(item, name) != value for name, value in item_spec.values.items()):
        return True
    return {body.pk for body in item.purchasing_bodies.all()} != {body.pk for body in item_spec.bodies}


def summary_counts():
    """What the demo holds, for the command's closing summary."""
    user_model = get_user_model()
    by_status = Counter(Catalogue.objects.values_list("status", flat=True))
    return {
        "regions": Region.objects.count(),
        "categories": ServiceCategory.objects.count(),
        "bodies": PurchasingBody.objects.count(),
        "providers": Provider.objects.count(),
        "qualified_providers": Provider.objects.qualified().count(),
        "editions": sum(by_status.values()),
        "editions_by_status": {status: by_status.get(status, 0) for status in Catalogue.Status},
        "items": CatalogueItem.objects.count(),
        "current_items": CatalogueItem.objects.current().count(),
        "users": user_model.objects.filter(username__in=[spec.username for spec in accounts.USERS]).count(),
    }
