from functools import partial

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue import forms
from catalogue.selectors.comparison import publication_diff
from catalogue.models import EDITION_LIFECYCLE, Catalogue, CatalogueItem
from catalogue.permissions import PREVIEW, is_finance, may_act_on, may_review
from catalogue.scopes import ScopeRule
from catalogue.services import open_next_year, open_revision, publish_edition, withdraw_edition
from catalogue.services.editions import correct_publication, save_edition_draft
from catalogue.views.staff.preview import preview_view

from catalogue.staff_links import add_url, changelist_url

from .base import CountyRegionFixedMixin, ScopedHistoryAdmin, autocomplete_origin
from .imports import import_url, import_urls
from .items import CatalogueItemInline
from .operations import Operation, OperationsAdminMixin

# Above this many items an edition's page links to the (paginated) item changelist instead of
# rendering every item as an inline form.
INLINE_MAX_ITEMS = 40

def preview_url(edition):
    return reverse("admin:catalogue_catalogue_preview", args=[edition.pk])


def publication_summary(edition):
    """What the 发布 page shows above the form: what publishing changes, and the way to the preview."""
    return {"diff": publication_diff(edition), "preview_link": preview_url(edition)}


# Publishing and withdrawing belong to municipal finance (catalogue.permissions.may_review); a county office may
# open a correction or next year's catalogue for its own region (the services check the region).
EDITION_OPERATIONS = (
    Operation(
        name="publish",
        label=_("发布"),
        form_class=forms.PublishForm,
        service=publish_edition,
        role_allows=may_review,
        state_allows=EDITION_LIFECYCLE.state_allows("publish"),
        explanation=_(
            "发布后目录即向社会公开并冻结，其中的事项不能再修改；同一行政区划同一年度原已发布的版次将标为“已被替代”。"
            "请先核对下面的变化，必要时预览公开页面，再填写文号和发布日期。"
        ),
        done=_("已发布：%(object)s。"),
        single_only=True,
        bulk_label=_("发布所选目录"),
        summary_template="catalogue/includes/publication_changes.html",
        summary=publication_summary,
    ),
    Operation(
        name="correct",
        label=_("更正文号或发布日期"),
        form_class=forms.CorrectionForm,
        service=correct_publication,
        role_allows=may_review,
        state_allows=lambda edition: edition.is_public,
        initial=forms.initial_correction,
        explanation=_(
            "只用于更正录入错误的文号或发布日期，目录内容不变（内容调整请用“动态调整”）。更正在公开页面上注明，"
            "并记入历史记录；发布文件（CSV、XLSX、JSON、OCDS 和清单）按更正后的文号重新生成，原文件的校验值保留在更正记录中。"
        ),
        done=_("已更正发布信息：%(object)s。"),
        bulk=False,
    ),
    Operation(
        name="withdraw",
        label=_("撤回"),
        form_class=forms.WithdrawForm,
        service=withdraw_edition,
        role_allows=may_review,
        state_allows=EDITION_LIFECYCLE.state_allows("withdraw"),
        explanation=_("撤回后公众不再能看到该版次；记录和历史仍然保留。"),
        done=_("已撤回：%(object)s。"),
        button_class="operation-button--danger",
        bulk_label=_("撤回所选目录"),
    ),
    Operation(
        name="revise",
        label=_("动态调整"),
        form_class=forms.RevisionForm,
        service=open_revision,
        role_allows=is_finance,
        state_allows=lambda edition: edition.status == Catalogue.Status.PUBLISHED,
        initial=lambda edition: {"notes": edition.notes},
        explanation=_("以该版次为底稿新建下一个修订版次（草稿），在草稿中修改后发布，发布时原版次被替代。"),
        done=_("已新建修订版次：%(object)s（草稿）。"),
        bulk_label=_("为所选目录新建修订版次（动态调整）"),
    ),
    Operation(
        name="next-year",
        label=_("编制下一年度目录"),
        form_class=forms.NextYearForm,
        run=lambda edition, user, year: open_next_year(edition.region, year, by=user),
        role_allows=is_finance,
        initial=forms.initial_next_year,
        explanation=_(
            "以该行政区划最新发布的版次为底稿，新建所填年度的目录草稿；该年度只有审核通过的试点事项时，"
            "将上一年度的事项并入其中。"
        ),
        done=_("已新建目录草稿：%(object)s。"),
        bulk_label=_("为所选目录编制下一年度目录"),
    ),
)


@admin.register(Catalogue)
class CatalogueAdmin(OperationsAdminMixin, CountyRegionFixedMixin, ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    # The title already names the region and the year; 年度/版次 in one short column, dates as 2017-08-15,
    # so at 1366 px the 文号, the date and the item count stay in view (issue 12, finding 7).
    list_display = [
        "title",
        "year_and_revision",
        "status",
        "document_number",
        "published_on_display",
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

    operations = EDITION_OPERATIONS

    def get_queryset(self, request):
        return super().get_queryset(request).with_visible_item_count(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # The state changes only through the 发布 / 撤回 operations (the services); a superuser
            # keeps the raw fields as an escape hatch, still bound by the model's constraints.
            fields += [name for name in ("status", "document_number", "published_on") if name not in fields]
        if obj is not None:
            # Which catalogue a draft is (its region, year and revision) is fixed when it is opened:
            # its items, its pilot items and its revisions all hang on it (issue 12, finding 4).
            fields += [name for name in ("region", "year", "revision") if name not in fields]
        return fields

    def get_urls(self):
        preview = self.admin_site.admin_view(partial(preview_view, model_admin=self))
        own = [
            # Importing items into a draft (catalogue/views/staff/imports.py): admin:catalogue_import:upload …
            path("", include((import_urls(self.admin_site), "catalogue_import"))),
            # A draft as the public page will show it (catalogue/views/staff/preview.py).
            path("<path:object_id>/preview/", preview, name="catalogue_catalogue_preview"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.is_draft and may_act_on(request.user, obj, PREVIEW):
            extra_context["preview_url"] = preview_url(obj)
        return super().change_view(request, object_id, form_url, extra_context)

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
        save_edition_draft(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        CatalogueItemInline.save_rows(request, formset)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    @staticmethod
    def _item_count(obj):
        count = getattr(obj, "item_count", None)
        return obj.items.count() if count is None else count

    @admin.display(description=_("年度/版次"), ordering="year")
    def year_and_revision(self, obj):
        return obj.label

    @admin.display(description=_("发布日期"), ordering="published_on")
    def published_on_display(self, obj):
        return obj.published_on.isoformat() if obj.published_on else self.get_empty_value_display()

    @admin.display(description=_("事项数"), ordering="item_count")
    def item_count_link(self, obj):
        url = changelist_url(CatalogueItem, edition__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj.item_count)

    @admin.display(description=_("目录事项"))
    def items_summary(self, obj):
        if obj is None or obj.pk is None:
            return _("保存目录后即可添加事项。")
        context = {
            "edition": obj,
            "count": self._item_count(obj),
            "max_items": INLINE_MAX_ITEMS,
            "listing_url": changelist_url(CatalogueItem, edition__id__exact=obj.pk),
            "add_url": add_url(CatalogueItem, edition=obj.pk),
            "import_url": import_url(obj),
        }
        return render_to_string("admin/catalogue/includes/items_summary.html", context)
