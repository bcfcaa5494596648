"""What changed between two editions of a region's catalogue (动态调整): items added, removed, changed.

Items are matched by code first; an item whose code changed (it moved to
another category sequence, or the clerk renumbered) is then matched by its
name and category. For a matched pair every field the public table shows is
compared, and the changes are listed field by field with old and new value.

Plain functions over model instances: compare_editions(old, new) is what the
compare page shows and what tests call directly.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from catalogue.models import CatalogueItem
from catalogue.translation import cached_gettext


def _category(item):
    return " › ".join(node.name for node in item.category.ancestors())


def _bodies(item):
    return "、".join(sorted(body.name for body in item.purchasing_bodies.all()))


def _budget(item):
    return "" if item.budget is None else f"{item.budget:,.2f}"


def _pilot(item):
    return cached_gettext("是") if item.is_pilot else cached_gettext("否")


# (key, label, how to read the value of an item); the order is the table's.
FIELDS = [
    ("code", _("编码"), lambda item: item.code),
    ("name", _("事项名称"), lambda item: item.name),
    ("category", _("服务类别"), _category),
    ("content", _("服务内容"), lambda item: item.content),
    ("purchasing_bodies", _("购买主体"), _bodies),
    ("provider_requirements", _("承接主体要求"), lambda item: item.provider_requirements),
    ("procurement_method", _("购买方式"), lambda item: str(item.get_procurement_method_display())),
    ("performance_standard", _("绩效评价标准"), lambda item: item.performance_standard),
    ("budget", _("预算（元）"), _budget),
    ("is_pilot", _("试点"), _pilot),
    ("notes", _("备注"), lambda item: item.notes),
]


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    old: CatalogueItem
    new: CatalogueItem
    changes: list
    matched_by: str  # "code" or "name"

    @property
    def keys(self):
        return [change.key for change in self.changes]


@dataclass
class EditionDiff:
    old_edition: object
    new_edition: object
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self):
        return bool(self.added or self.removed or self.changed)


def field_changes(old, new):
    """The fields that differ between two items, as FieldChange(key, label, old value, new value)."""
    changes = []
    for key, label, read in FIELDS:
        before, after = read(old) or "", read(new) or ""
        if before != after:
            changes.append(FieldChange(key, label, before, after))
    return changes


def items_for_comparison(*editions):
    """Both editions' items with everything the diff reads, in a fixed number of queries whatever their size."""
    items = (
        CatalogueItem.objects.filter(edition__in=editions).for_export().order_by("code", "pk")
    )
    by_edition = {edition.pk: [] for edition in editions}
    for item in items:
        by_edition[item.edition_id].append(item)
    return [by_edition[edition.pk] for edition in editions]


def match_items(old_items, new_items):
    """Pairs (old, new, matched_by), then the old items left over, then the new items left over."""
    pairs = []
    new_by_code = {item.code: item for item in new_items if item.code}
    unmatched_old = []
    for item in old_items:
        partner = new_by_code.pop(item.code, None) if item.code else None
        if partner is None:
            unmatched_old.append(item)
        else:
            pairs.append((item, partner, "code"))
    remaining_new = [item for item in new_items if not item.code or new_by_code.get(item.code) is item]
    new_by_name = {}
    for item in remaining_new:
        new_by_name.setdefault((item.name.strip(), item.category_id), []).append(item)
    removed = []
    for item in unmatched_old:
        candidates = new_by_name.get((item.name.strip(), item.category_id))
        if candidates:
            pairs.append((item, candidates.pop(0), "name"))
        else:
            removed.append(item)
    added = [item for group in new_by_name.values() for item in group]
    added.sort(key=lambda item: (item.code, item.pk))
    return pairs, removed, added


def compare_editions(old_edition, new_edition):
    """EditionDiff of new_edition against old_edition (pass the earlier one first)."""
    old_items, new_items = items_for_comparison(old_edition, new_edition)
    pairs, removed, added = match_items(old_items, new_items)
    diff = EditionDiff(old_edition, new_edition, added=added, removed=removed)
    for old, new, matched_by in pairs:
        changes = field_changes(old, new)
        if changes:
            diff.changed.append(ItemChange(old, new, changes, matched_by))
        else:
            diff.unchanged += 1
    diff.changed.sort(key=lambda change: (change.new.code, change.new.pk))
    return diff


def older_first(a, b):
    """The two editions ordered (earlier, later) by year and revision."""
    return (a, b) if (a.year, a.revision) <= (b.year, b.revision) else (b, a)


def default_partner(edition, candidates):
    """The edition to compare with when none is chosen: the previous year/revision, else the next one."""
    key = (edition.year, edition.revision)
    earlier = [other for other in candidates if (other.year, other.revision) < key]
    if earlier:
        return max(earlier, key=lambda other: (other.year, other.revision))
    later = [other for other in candidates if (other.year, other.revision) > key]
    return min(later, key=lambda other: (other.year, other.revision)) if later else None


def publication_baseline(edition):
    """What publishing `edition` (a draft) would change from: the revision in force for its region and
    year, or else the region's newest published edition of an earlier year; None for a first catalogue."""
    from catalogue.models import Catalogue

    published = Catalogue.objects.published().filter(region=edition.region_id).exclude(pk=edition.pk)
    same_year = published.filter(year=edition.year).first()
    if same_year is not None:
        return same_year
    return published.filter(year__lt=edition.year).order_by("-year", "-revision").first()


def publication_diff(edition):
    """EditionDiff of a draft against its publication baseline (every item added when there is none)."""
    baseline = publication_baseline(edition)
    if baseline is not None:
        return compare_editions(baseline, edition)
    (items,) = items_for_comparison(edition)
    return EditionDiff(None, edition, added=sorted(items, key=lambda item: (item.code, item.pk)))
