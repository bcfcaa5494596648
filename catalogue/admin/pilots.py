"""试点事项 in the admin: a county office drafts and submits; municipal finance approves or returns.

The transitions are PilotItem.TRANSITIONS and the services in catalogue/services/pilots.py; this
module only offers them (buttons on the change page, bulk actions on the changelist) and shows the
trail. A county office edits its drafts and returned items only; once submitted an item is read-only
until it comes back.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import forms
from catalogue.models import PilotItem, PilotTransition
from catalogue.scopes import Scope
from catalogue.services import approve_pilot_item, return_pilot_item, submit_pilot_item

from .base import CountyRegionFixedMixin, ScopedHistoryAdmin
from .operations import Operation, OperationsAdminMixin

Action = PilotItem.Action


def _state_allows(action):
    sources, _target = PilotItem.TRANSITIONS[action]
    return lambda pilot: pilot.status in sources


def may_submit(scope):
    return scope.is_county or scope.role == Scope.SUPERUSER


PILOT_OPERATIONS = (
    Operation(
        name=Action.SUBMIT,
        label=Action.SUBMIT.label,
        form_class=forms.PilotCommentForm,
        run=lambda pilot, user, comment: submit_pilot_item(pilot, by=user, comment=comment),
        role_allows=may_submit,
        state_allows=_state_allows(Action.SUBMIT),
        explanation=_("报送后由市财政局审核；审核期间不能修改。"),
        done=_("已报送：%(object)s。"),
    ),
    Operation(
        name=Action.APPROVE,
        label=Action.APPROVE.label,
        form_class=forms.PilotCommentForm,
        run=lambda pilot, user, comment: approve_pilot_item(pilot, by=user, comment=comment),
        role_allows=lambda scope: scope.may_review,
        state_allows=_state_allows(Action.APPROVE),
        explanation=_("通过后，该事项作为试点事项列入该县（市、区）本年度的目录草稿；本年度目录已发布的，新建修订版次。"),
        done=_("已通过：%(object)s，已列入目录草稿。"),
    ),
    Operation(
        name=Action.RETURN,
        label=Action.RETURN.label,
        form_class=forms.PilotReturnForm,
        run=lambda pilot, user, comment: return_pilot_item(pilot, by=user, reason=comment),
        role_allows=lambda scope: scope.may_review,
        state_allows=_state_allows(Action.RETURN),
        explanation=_("退回后报送单位可修改并重新报送；退回理由记入流转记录。"),
        done=_("已退回：%(object)s。"),
        button_class="operation-button--danger",
    ),
)


def age_in_days(pilot, now=None):
    """Days since the item last changed state (or was created): how long it has waited."""
    since = pilot.status_changed_at or pilot.created_at
    return ((now or timezone.now()) - since).days


class PilotYearFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "fiscal_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).order_by("-fiscal_year").values_list("fiscal_year", flat=True)
        return [(str(year), str(year)) for year in dict.fromkeys(years)]

    def queryset(self, request, queryset):
        if self.value() in {code for code, _label in self.lookup_choices}:
            return queryset.filter(fiscal_year=int(self.value()))
        return queryset


@admin.register(PilotItem)
class PilotItemAdmin(OperationsAdminMixin, CountyRegionFixedMixin, ScopedHistoryAdmin):
    operations = PILOT_OPERATIONS
    list_display = ["name", "region", "fiscal_year", "status", "age", "planned_budget", "procurement_method"]
    list_filter = ["status", ("region", admin.RelatedOnlyFieldListFilter), PilotYearFilter]
    search_fields = ["name", "content", "reason"]
    ordering = ["-updated_at"]
    list_select_related = ["region"]
    autocomplete_fields = ["category", "purchasing_bodies"]
    view_on_site = False  # get_absolute_url is this very page
    readonly_fields = [
        "status",
        "age",
        "catalogue_item_link",
        "created_by",
        "created_at",
        "updated_at",
        "trail",
    ]
    fieldsets = [
        (_("事项"), {"fields": ["region", "fiscal_year", "category", "name", "content"]}),
        (
            _("购买与承接"),
            {
                "fields": [
                    "purchasing_bodies",
                    "procurement_method",
                    "planned_budget",
                    "provider_requirements",
                    "performance_standard",
                ]
            },
        ),
        (_("申报"), {"fields": ["reason", "negative_list_confirmed", "notes"]}),
        (_("审核"), {"fields": ["status", "age", "catalogue_item_link", "trail"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    def get_queryset(self, request):
        trail = Prefetch("transitions", queryset=PilotTransition.objects.select_related("by"))
        return super().get_queryset(request).prefetch_related(trail)

    def is_frozen(self, request, obj):
        """Submitted and approved items are read-only; drafts and returned items are the county's to edit."""
        return not obj.is_editable

    def has_change_permission(self, request, obj=None):
        # Municipal finance reviews (buttons), it does not rewrite a county's proposal.
        if obj is not None and not (may_submit(Scope.of(request.user))):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A draft that was never sent may be deleted; anything with a trail is kept.
        if obj is not None and obj.status != PilotItem.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("等待天数"))
    def age(self, obj):
        if obj is None or obj.pk is None:
            return self.get_empty_value_display()
        return gettext("%(days)s 天") % {"days": age_in_days(obj)}

    @admin.display(description=_("对应目录事项"))
    def catalogue_item_link(self, obj):
        if obj is None or obj.catalogue_item_id is None:
            return self.get_empty_value_display()
        from django.urls import reverse

        url = reverse("admin:catalogue_catalogueitem_change", args=[obj.catalogue_item_id])
        return format_html('<a href="{}">{}</a>', url, obj.catalogue_item)

    @admin.display(description=_("流转记录"))
    def trail(self, obj):
        if obj is None or obj.pk is None:
            return gettext("尚未报送。")
        steps = list(obj.transitions.all())
        if not steps:
            return gettext("尚未报送。")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M"),
                    step.get_action_display(),
                    step.by.get_full_name() or step.by.get_username() if step.by else "—",
                    step.get_from_status_display(),
                    step.get_to_status_display(),
                    step.comment or "—",
                )
                for step in steps
            ),
        )
        return format_html(
            '<table class="pilot-trail"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            _("时间"),
            _("操作"),
            _("操作人"),
            _("状态变化"),
            _("意见"),
            rows,
        )
