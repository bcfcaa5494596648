from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import Catalogue, CatalogueItem

from .base import add_url, autocomplete_origin, changelist_url
from .items import CatalogueItemInline

# Above this many items an edition's page links to the (paginated) item
# changelist instead of rendering every item as an inline form.
INLINE_MAX_ITEMS = 40


@admin.register(Catalogue)
class CatalogueAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "region",
        "year",
        "revision",
        "status",
        "document_number",
        "published_on",
        "item_count_link",
    ]
    list_filter = ["status", "region", "year"]
    search_fields = ["title", "document_number", "region__name"]
    ordering = ["region__order", "-year", "-revision"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    readonly_fields = ["items_summary", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["region", "year", "revision", "title"]}),
        (_("发布"), {"fields": ["status", "document_number", "published_on"]}),
        (_("说明"), {"fields": ["notes", "items_summary"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if autocomplete_origin(request) == ("catalogueitem", "edition"):
            # New items go into drafts only; published editions are frozen.
            queryset = queryset.filter(status=Catalogue.Status.DRAFT)
        return queryset, may_have_duplicates

    def get_inlines(self, request, obj):
        if obj is not None and self._item_count(obj) > INLINE_MAX_ITEMS:
            return []
        return [CatalogueItemInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    @staticmethod
    def _item_count(obj):
        count = getattr(obj, "item_count", None)
        return obj.items.count() if count is None else count

    @admin.display(description=_("事项数"), ordering="item_count")
    def item_count_link(self, obj):
        url = changelist_url(CatalogueItem, edition__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj.item_count)

    @admin.display(description=_("目录事项"))
    def items_summary(self, obj):
        if obj is None or obj.pk is None:
            return _("保存目录后即可添加事项。")
        count = self._item_count(obj)
        listing = format_html(
            '<a href="{}">{}</a>',
            changelist_url(CatalogueItem, edition__id__exact=obj.pk),
            _("共 %(count)s 项，在事项列表中查看") % {"count": count},
        )
        if not obj.is_draft:
            return format_html("{}（{}）", listing, _("已不是草稿，事项只能查看"))
        adding = format_html('<a href="{}">{}</a>', add_url(CatalogueItem, edition=obj.pk), _("新增事项"))
        if count > INLINE_MAX_ITEMS:
            note = _("事项超过 %(max)s 项，不在本页逐项编辑，请在事项列表中修改") % {"max": INLINE_MAX_ITEMS}
            return format_html("{} · {}（{}）", listing, adding, note)
        return format_html("{} · {}", listing, adding)
