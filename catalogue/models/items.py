from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.scopes import Scope

from .base import ConstraintErrorsOnFieldsMixin, Timestamped, budget_field
from .editions import Catalogue
from .search_index import bigram_document


class ProcurementMethod(models.TextChoices):
    """购买方式 (DOMAIN.md §7); 公开招标 is the default and preferred."""

    OPEN_TENDER = "OPEN_TENDER", _("公开招标")
    INVITED_TENDER = "INVITED_TENDER", _("邀请招标")
    COMPETITIVE_NEGOTIATION = "COMPETITIVE_NEGOTIATION", _("竞争性谈判")
    COMPETITIVE_CONSULTATION = "COMPETITIVE_CONSULTATION", _("竞争性磋商")
    SINGLE_SOURCE = "SINGLE_SOURCE", _("单一来源")
    REQUEST_FOR_QUOTATION = "REQUEST_FOR_QUOTATION", _("询价")
    COMMISSION = "COMMISSION", _("委托/承包")


_METHOD_LABELS = {}


def method_label(value):
    """The name of a 购买方式 in the active language, translated once per language and process."""
    language = translation.get_language()
    labels = _METHOD_LABELS.get(language)
    if labels is None:
        labels = _METHOD_LABELS[language] = {code: str(label) for code, label in ProcurementMethod.choices}
    return labels.get(value, value)


class CatalogueItemQuerySet(models.QuerySet):
    def public(self):
        """Items of editions the public may open (in force or superseded). Every public read goes through here."""
        return self.filter(edition__status__in=Catalogue.PUBLIC_STATUSES)

    def current(self):
        """Items of the revision in force of every year (what a contract of that year may buy).

        Not the public's 现行, which is each region's newest edition only: see in_force()."""
        return self.filter(edition__status=Catalogue.Status.PUBLISHED)

    def latest(self):
        """Items of each region's newest published edition: the statistics' picture of today."""
        return self.filter(edition__in=Catalogue.objects.newest_published())

    def in_force(self, year=None):
        """Items of the catalogues in force (现行, Catalogue.objects.in_force): what search finds."""
        return self.filter(edition__in=Catalogue.objects.in_force(year))

    def visible_to(self, user):
        """Items a staff user may open: all, their region's, or those their own body buys."""
        def bought_by(body):
            through = CatalogueItem.purchasing_bodies.through.objects.filter(purchasingbody_id=body)
            return models.Q(pk__in=through.values("catalogueitem_id"))

        return Scope.of(user).restrict(self, region="edition__region_id", department=bought_by)

    def editable_by(self, user):
        """Of the visible items, those in draft editions: published ones are frozen."""
        return self.visible_to(user).filter(edition__status=Catalogue.Status.DRAFT)

    def with_table_columns(self):
        """Everything the official table shows, in a fixed number of queries (for a page of rows)."""
        return self.select_related(
            "edition__region", "category__parent__parent"
        ).prefetch_related("purchasing_bodies")

    def for_export(self):
        """Everything the official table shows, for thousands of rows at once (exports, OCDS, comparison).

        The same as with_table_columns(), but each category, edition and purchasing body is built
        once and shared by the items that name it (SharedColumnsIterable): five queries whatever
        the number of rows, and a fraction of the objects.
        """
        clone = self._chain()
        clone._iterable_class = SharedColumnsIterable
        return clone


class SharedColumnsIterable(ModelIterable):
    """Items whose category path, edition (with region) and purchasing bodies are shared instances.

    select_related builds a fresh category, parent, area, edition and region for every row, and
    prefetch_related a fresh body for every link: for a 2,000-item export that is most of its
    time. Here the items come in one query, then the category tree, their editions and their
    bodies in one query each, each object built once.
    """

    def __iter__(self):
        items = list(super().__iter__())
        if items:
            _share_columns(items)
        yield from items


def _share_columns(items):
    from .bodies import PurchasingBody
    from .categories import ServiceCategory

    categories = {category.pk: category for category in ServiceCategory.objects.all()}
    for category in categories.values():
        category._state.fields_cache["parent"] = categories.get(category.parent_id)
    editions = {
        edition.pk: edition
        for edition in Catalogue.objects.select_related("region").filter(pk__in={item.edition_id for item in items})
    }
    Through = CatalogueItem.purchasing_bodies.through
    links = {}
    for item_id, body_id in Through.objects.filter(catalogueitem_id__in=[item.pk for item in items]).values_list(
        "catalogueitem_id", "purchasingbody_id"
    ):
        links.setdefault(item_id, []).append(body_id)
    bodies = list(
        PurchasingBody.objects.select_related("region").filter(pk__in={pk for ids in links.values() for pk in ids})
    )
    rank = {body.pk: index for index, body in enumerate(bodies)}  # the model's own order, as a prefetch gives
    by_pk = {body.pk: body for body in bodies}
    shared_lists = {}
    for item in items:
        item._state.fields_cache["category"] = categories[item.category_id]
        item._state.fields_cache["edition"] = editions[item.edition_id]
        key = tuple(sorted(links.get(item.pk, ()), key=rank.__getitem__))
        if key not in shared_lists:
            queryset = PurchasingBody.objects.none()
            queryset._result_cache = [by_pk[pk] for pk in key]
            queryset._prefetch_done = True
            shared_lists[key] = queryset
        item._prefetched_objects_cache = {"purchasing_bodies": shared_lists[key]}


class ItemCodeNumbering:
    """Item codes “category code-NN” (C0201-03), numbered after the highest number taken per category.

    The one numbering of a blank 编码, whether an item is saved (CatalogueItem.next_code) or a file's rows
    are imported (catalogue/imports/rows.assign_codes, which numbers many rows against the same codes)."""

    def __init__(self, taken):
        self.highest = {}
        for code in taken:
            prefix, _dash, number = code.rpartition("-")
            if prefix and number.isdigit():
                self.highest[prefix] = max(self.highest.get(prefix, 0), int(number))

    def next(self, category_code):
        """The next free code of the category, counted as taken from now on."""
        number = self.highest[category_code] = self.highest.get(category_code, 0) + 1
        return f"{category_code}-{number:02d}"


class CatalogueItem(ConstraintErrorsOnFieldsMixin, Timestamped):
    """A 目录事项: one service a region's edition says it may buy."""

    edition = models.ForeignKey(
        "catalogue.Catalogue", verbose_name=_("所属目录"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.ForeignKey(
        "catalogue.ServiceCategory",
        verbose_name=_("服务类别（三级）"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    code = models.CharField(
        _("编码"), max_length=20, blank=True, help_text=_("留空时按“类别编码-序号”自动生成，例如 C0201-01。")
    )
    name = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("服务内容"), blank=True)
    purchasing_bodies = models.ManyToManyField(
        "catalogue.PurchasingBody", verbose_name=_("购买主体"), related_name="items", blank=True
    )
    provider_requirements = models.TextField(_("承接主体要求"), blank=True)
    procurement_method = models.CharField(
        _("购买方式"), max_length=30, choices=ProcurementMethod.choices, default=ProcurementMethod.OPEN_TENDER
    )
    performance_standard = models.TextField(_("绩效评价标准"), blank=True)
    budget = budget_field()
    is_pilot = models.BooleanField(_("试点"), default=False)
    notes = models.TextField(_("备注"), blank=True)
    search_document = models.TextField(editable=False, blank=True, default="")

    objects = CatalogueItemQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("目录事项历史"), excluded_fields=["search_document"], m2m_fields=[purchasing_bodies])

    constraint_error_fields = {"duplicate_item_code": "code", "negative_budget": "budget"}

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="catalogue_item_code_unique_in_edition",
                violation_error_message=_("本目录中已有相同编码的事项。"),
                violation_error_code="duplicate_item_code",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="catalogue_item_budget_not_negative",
                violation_error_message=_("预算金额不能为负数。"),
                violation_error_code="negative_budget",
            ),
        ]
        indexes = [models.Index(fields=["edition", "category"], name="item_edition_category")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("catalogue:item", args=[self.pk])

    @property
    def is_frozen(self):
        """Items of a published, superseded or withdrawn edition are read-only (clean() refuses them too)."""
        return self.edition_id is not None and self.edition.is_frozen

    def get_procurement_method_display(self):
        """购买方式 in the current language; Django's own reads a lazy list of choices on every call."""
        return method_label(self.procurement_method)

    def clean(self):
        errors = {}
        if self.category_id and not self.category.is_leaf:
            errors["category"] = _("目录事项只能归入三级（末级）服务类别，“%(category)s”下还有下级类别。") % {
                "category": self.category
            }
        if self.edition_id and not self.edition.is_draft:
            errors["edition"] = _("“%(edition)s”已%(status)s，不能再修改其中的事项；请新建修订版次（动态调整）。") % {
                "edition": self.edition,
                "status": self.edition.get_status_display(),
            }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.code and self.edition_id and self.category_id:
            self.code = self.next_code(self.edition_id, self.category)
        self.search_document = self.build_search_document()
        super().save(*args, **kwargs)

    # What an item says, as opposed to where it sits (edition, category): copied whole when a
    # revision is opened, an import row is written or a pilot item is approved.
    CONTENT_FIELDS = (
        "code",
        "name",
        "content",
        "provider_requirements",
        "procurement_method",
        "performance_standard",
        "budget",
        "is_pilot",
        "notes",
    )

    @classmethod
    def built_from(cls, source, *, edition, category, **overrides):
        """An unsaved item in edition carrying source's CONTENT_FIELDS (overrides win), search document built."""
        values = {name: getattr(source, name) for name in cls.CONTENT_FIELDS if name not in overrides}
        item = cls(edition=edition, category=category, **values, **overrides)
        item.search_document = item.build_search_document()
        return item

    @staticmethod
    def next_code(edition_id, category):
        """The code a new item of `category` takes in the edition: after the highest of the category taken."""
        taken = CatalogueItem.objects.filter(edition_id=edition_id, code__startswith=f"{category.code}-")
        return ItemCodeNumbering(taken.values_list("code", flat=True)).next(category.code)

    def build_search_document(self):
        path = " ".join(node.name for node in self.category.ancestors()) if self.category_id else ""
        return bigram_document([(self.name, "A"), (path, "B"), (self.content, "D")])

    @property
    def category_path(self):
        """(一级, 二级, 三级) for the official table."""
        nodes = self.category.ancestors()
        return tuple(nodes + [None] * (3 - len(nodes)))[:3]
