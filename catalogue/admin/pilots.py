"""试点事项 in the admin: a county office drafts and submits; municipal finance approves or returns.

The transitions are PilotItem.TRANSITIONS and the services in catalogue/services/pilots.py; this
module only offers them (buttons on the change page, bulk actions on the changelist) and shows the
trail. A county office edits its drafts and returned items only; once submitted an item is read-only
until it comes back.
"""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import forms
from catalogue.forms.pilots import submitting_form
from catalogue.models import PILOT_LIFECYCLE, PilotItem, PilotTransition
from catalogue.permissions import CHANGE, may_act_on, may_review, may_submit_pilots
from catalogue.scopes import ScopeRule
from catalogue.services import (
    approve_pilot_item,
    delete_pilot_draft,
    return_pilot_item,
    save_pilot_draft,
    submit_pilot_item,
    withdraw_pilot_submission,
)
from catalogue.views.staff.pilots import application_view

from .base import CountyRegionFixedMixin, ScopedHistoryAdmin, service_message, year_filter
from .operations import Operation, OperationsAdminMixin

Action = PilotItem.Action


PILOT_OPERATIONS = (
    Operation.step(
        PILOT_LIFECYCLE,
        Action.SUBMIT,
        service=submit_pilot_item,
        role_allows=may_submit_pilots,
        form_class=forms.PilotCommentForm,
        explanation=_("报送后由市财政局审核；审核期间不能修改，审核前可以撤回报送。"),
        done=_("已报送：%(object)s。"),
    ),
    Operation.step(
        PILOT_LIFECYCLE,
        Action.WITHDRAW,
        service=withdraw_pilot_submission,
        role_allows=may_submit_pilots,
        form_class=forms.PilotCommentForm,
        explanation=_("市财政局审核前，可以撤回报送：事项回到草稿，修改后重新报送。撤回记入流转记录，并通知市财政局。"),
        done=_("已撤回报送：%(object)s，现为草稿。"),
        bulk_label=_("撤回所选试点事项的报送"),
    ),
    Operation.step(
        PILOT_LIFECYCLE,
        Action.APPROVE,
        service=approve_pilot_item,
        role_allows=may_review,
        form_class=forms.PilotCommentForm,
        explanation=_("通过后，该事项作为试点事项列入该县（市、区）本年度的目录草稿；本年度目录已发布的，新建修订版次。"),
        done=_("已通过：%(object)s，已列入目录草稿。"),
    ),
    Operation.step(
        PILOT_LIFECYCLE,
        Action.RETURN,
        run=lambda pilot, user, comment: return_pilot_item(pilot, by=user, reason=comment),
        role_allows=may_review,
        form_class=forms.PilotReturnForm,
        explanation=_("退回后报送单位可修改并重新报送；退回理由记入流转记录。"),
        done=_("已退回：%(object)s。"),
        button_class="operation-button--danger",
    ),
)


def submitting(request):
    """True when the clerk pressed 保存并报送 (the form is then checked for what a submission needs)."""
    return request.method == "POST" and "_submit" in request.POST


PilotYearFilter = year_filter("fiscal_year", _("年度"))


@admin.register(PilotItem)
class PilotItemAdmin(OperationsAdminMixin, CountyRegionFixedMixin, ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    operations = PILOT_OPERATIONS
    list_display = ["name", "region", "fiscal_year", "status", "age", "planned_budget", "procurement_method"]
    list_filter = ["status", ("region", admin.RelatedOnlyFieldListFilter), PilotYearFilter]
    search_fields = ["name", "content", "reason"]
    ordering = ["-updated_at"]
    list_select_related = ["region"]
    autocomplete_fields = ["category", "purchasing_bodies"]
    view_on_site = False  # a pilot item has no public page
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

    def get_queryset(self, request):
        trail = Prefetch("transitions", queryset=PilotTransition.objects.select_related("by"))
        return super().get_queryset(request).prefetch_related(trail)

    # 保存草稿 and 保存并报送 ------------------------------------------------------------------------
    #
    # A draft is saved as far as it is written; 保存并报送 saves it and submits it in one go, and the
    # form then asks for what a submission needs (PilotItem.submission_errors) on the fields at fault.

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return submitting_form(form) if submitting(request) else form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The county office's own item gets 保存并报送 and the advice of the status banner (pilotitem/banner.html).
        county = may_submit_pilots(request.user)
        context.update(pilot_county=county, pilot_submit_row=county and (obj is None or obj.is_editable))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if submitting(request):
            return self._submit_saved(request, obj)
        response = super().response_add(request, obj, post_url_continue)
        self._remind_not_submitted(request, obj)
        return response

    def response_change(self, request, obj):
        if submitting(request):
            return self._submit_saved(request, obj)
        response = super().response_change(request, obj)
        self._remind_not_submitted(request, obj)
        return response

    def _submit_saved(self, request, obj):
        try:
            submit_pilot_item(obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            reason = service_message(error)
            self.message_user(
                request, gettext("已保存草稿，但没有报送：%(reason)s") % {"reason": reason}, messages.ERROR
            )
        else:
            self.message_user(
                request,
                gettext("已保存并报送：%(object)s。市财政局审核期间不能修改；审核前可以撤回报送。") % {"object": obj},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:catalogue_pilotitem_change", args=[obj.pk]))

    def _remind_not_submitted(self, request, obj):
        if obj.is_editable and may_submit_pilots(request.user):
            self.message_user(
                request,
                gettext("“%(object)s”已保存为草稿，尚未报送：市财政局还看不到它。填写完整后请点“保存并报送”。")
                % {"object": obj.name},
                messages.WARNING,
            )

    # 申报表: the application with its trail, to print, sign and seal ----------------------------------

    def get_urls(self):
        # The 申报表 to print (catalogue/views/staff/pilots.py) asks this admin for the item the user may view.
        application = self.admin_site.admin_view(partial(application_view, model_admin=self))
        own = [path("<path:object_id>/application/", application, name="catalogue_pilotitem_application")]
        return own + super().get_urls()

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_act_on(request.user, obj, CHANGE):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_deletable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        save_pilot_draft(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_pilot_draft(obj, by=request.user)

    @admin.display(description=_("等待天数"))
    def age(self, obj):
        if obj is None or obj.pk is None or not obj.is_waiting:
            return self.get_empty_value_display()
        return gettext("%(days)s 天") % {"days": obj.days_in_state()}

    @admin.display(description=_("对应目录事项"))
    def catalogue_item_link(self, obj):
        if obj is None or obj.catalogue_item_id is None:
            return self.get_empty_value_display()
        url = reverse("admin:catalogue_catalogueitem_change", args=[obj.catalogue_item_id])
        return format_html('<a href="{}">{}</a>', url, obj.catalogue_item)

    @admin.display(description=_("流转记录"))
    def trail(self, obj):
        context = {
            "steps": obj.transitions.all() if obj is not None and obj.pk else [],
            "table_class": "pilot-trail",
            "note_title": _("意见"),
            "empty": gettext("尚未报送。"),
        }
        return render_to_string("admin/catalogue/includes/trail.html", context)
