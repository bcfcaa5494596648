"""The public filters, built with django-filter and kept in the URL (GET), so a filtered view can be shared.

Each FilterSet narrows a queryset that already went through public()/current()/qualified();
the filters never widen what the public may see. A value that does not validate (an unknown
category, a bogus method, a body outside this edition) is dropped: the page shows the rows
without that filter and `invalid_messages` says, in Chinese, what was ignored.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.evaluation_rules import Grade
from catalogue.models import (
    CatalogueItem,
    Evaluation,
    ProcurementMethod,
    Provider,
    PurchasingBody,
    Region,
    ServiceCategory,
)
from catalogue.search import search_items

# The official table's order: the category tree (codes sort as the tree), then the item code.
TABLE_ORDER = ("category__code", "code", "pk")
SEARCH_ATTRS = {"type": "search", "maxlength": 100}


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories of every level, indented so the select reads as the tree."""

    def label_from_instance(self, obj):
        return "\u3000" * (obj.level - 1) + f"{obj.code} {obj.name}"


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


def categories_used_by(items):
    """The categories of `items` together with their parents and grandparents, in tree order.

    The leaves are read first, as a list (one query over the items' own index), then the tree above
    them: asked as one query with subqueries, PostgreSQL joins the whole item table at 100,000 items.
    """
    used = list(items.order_by().values_list("category", flat=True).distinct())
    return ServiceCategory.objects.and_above(used).order_by("code")


class ChineseOptionsSelect(forms.Select):
    """A choice of the catalogue's own records (categories, bodies, regions): each option's label is Chinese
    content, so it carries lang="zh-Hans" whatever the interface language; the empty 'all' choice is interface."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in (None, ""):
            option["attrs"]["lang"] = "zh-Hans"
        return option


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet that reports the values it had to ignore instead of failing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for public_filter in self.filters.values():
            if isinstance(public_filter, django_filters.ModelChoiceFilter):
                public_filter.extra.setdefault("widget", ChineseOptionsSelect)

    def invalid_messages(self):
        """One Chinese sentence per ignored filter, for the page to show."""
        if not self.is_bound:
            return []
        messages = []
        for name in self.form.errors:
            field = self.form.fields.get(name)
            label = field.label if field else name
            messages.append(_("筛选条件“%(label)s”的值无效，已忽略该条件。") % {"label": label})
        return messages

    def applied(self):
        """The filters that took effect, as {name: cleaned value}, for headings and the JSON export."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", False)}


class EditionItemFilter(PublicFilterSet):
    """Filters of the edition page and its exports: category (any level), purchasing body, method, pilot, text."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_text", widget=forms.TextInput(attrs=SEARCH_ATTRS))
    category = CategoryFilter(
        label=_("服务类别"),
        queryset=ServiceCategory.objects.none(),
        method="filter_category",
        empty_label=_("全部类别"),
    )
    body = django_filters.ModelChoiceFilter(
        label=_("购买主体"),
        queryset=PurchasingBody.objects.none(),
        field_name="purchasing_bodies",
        empty_label=_("全部购买主体"),
    )
    method = django_filters.ChoiceFilter(
        label=_("购买方式"),
        field_name="procurement_method",
        choices=ProcurementMethod.choices,
        empty_label=_("全部购买方式"),
    )
    pilot = django_filters.BooleanFilter(
        label=_("只看试点事项"), method="filter_pilot", widget=forms.CheckboxInput
    )

    class Meta:
        model = CatalogueItem
        fields = []

    def __init__(self, data=None, queryset=None, *, edition, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.edition = edition
        edition_items = CatalogueItem.objects.filter(edition=edition)
        self.filters["category"].queryset = categories_used_by(edition_items)
        # The bodies' ids first, from the edition's items outwards (one query), for the same reason.
        body_ids = list(
            CatalogueItem.purchasing_bodies.through.objects.filter(catalogueitem__edition=edition)
            .order_by()
            .values_list("purchasingbody_id", flat=True)
            .distinct()
        )
        self.filters["body"].queryset = PurchasingBody.objects.filter(pk__in=body_ids).order_by("region__order", "name")
        self.text_ignored = False

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=ServiceCategory.objects.and_below([value]))

    def filter_pilot(self, queryset, name, value):
        return queryset.filter(is_pilot=True) if value else queryset

    def filter_text(self, queryset, name, value):
        matched, terms = search_items(queryset, value)
        if not terms:
            self.text_ignored = True
            return queryset
        # Keep the official table's order so the category groups stay intact.
        return matched.order_by(*TABLE_ORDER)

    def applied(self):
        applied = super().applied()
        if self.text_ignored:
            applied.pop("q", None)
        return applied

    def invalid_messages(self):
        messages = super().invalid_messages()
        if self.text_ignored:
            messages.append(_("关键词中没有可检索的文字，已忽略该条件。"))
        return messages

    def applied_for_export(self):
        """The applied filters with stable, JSON-friendly values (category code, body name, method code)."""
        labels = {}
        for name, value in self.applied().items():
            if name == "category":
                labels[name] = value.code
            elif name == "body":
                labels[name] = value.name
            else:
                labels[name] = value
        return labels


class ProviderFilter(PublicFilterSet):
    """Filters of the provider directory: name or credit code, category (any level), region, kind."""

    q = django_filters.CharFilter(
        label=_("名称或统一社会信用代码"), method="filter_text", widget=forms.TextInput(attrs=SEARCH_ATTRS)
    )
    category = CategoryFilter(
        label=_("可承接的服务类别"),
        queryset=ServiceCategory.objects.select_related("parent__parent").order_by("code"),
        method="filter_category",
        empty_label=_("全部类别"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("所在行政区划"), queryset=Region.objects.order_by("order"), empty_label=_("全部地区")
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Provider.Kind.choices, empty_label=_("全部类型"))

    class Meta:
        model = Provider
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_category(self, queryset, name, value):
        """Providers that may serve the category: registered for it, for a category above it, or for one below it."""
        above, below = ServiceCategory.objects.and_above([value]), ServiceCategory.objects.and_below([value])
        return queryset.filter(Q(categories__in=above) | Q(categories__in=below)).distinct()

    def applied_for_export(self):
        """The applied filters with stable, JSON-friendly values (category code, region name, kind code, text)."""
        labels = {}
        for name, value in self.applied().items():
            if name == "category":
                labels[name] = value.code
            elif name == "region":
                labels[name] = value.name
            else:
                labels[name] = value
        return labels


def evaluation_years():
    """The contract years that have a published evaluation, newest first (the year filter's choices)."""
    years = (
        Evaluation.objects.published().order_by("-contract__year").values_list("contract__year", flat=True).distinct()
    )
    return [(year, _("%(year)s年") % {"year": year}) for year in years]


class EvaluationFilter(PublicFilterSet):
    """Filters of the published evaluation results and their exports: year, area (一级), region, grade."""

    year = django_filters.ChoiceFilter(
        label=_("年度"), field_name="contract__year", choices=evaluation_years, empty_label=_("全部年度")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("服务领域"),
        queryset=ServiceCategory.objects.areas().order_by("order", "code"),
        field_name="contract__item__category__parent__parent",
        empty_label=_("全部领域"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("行政区划"),
        queryset=Region.objects.order_by("order"),
        field_name="contract__region",
        empty_label=_("全部地区"),
    )
    grade = django_filters.ChoiceFilter(label=_("评价等级"), choices=Grade.choices, empty_label=_("全部等级"))

    class Meta:
        model = Evaluation
        fields = []

    def applied_for_export(self):
        """The applied filters with stable, JSON-friendly values (year, area code, region name, grade code)."""
        labels = {}
        for name, value in self.applied().items():
            if name == "area":
                labels[name] = value.code
            elif name == "region":
                labels[name] = value.name
            elif name == "year":
                labels[name] = int(value)
            else:
                labels[name] = value
        return labels
