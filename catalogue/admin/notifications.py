"""通知 in the admin: each staff member's own notifications, newest first, with the unread count in the header.

Notification.objects.visible_to(user) is the recipient's own rows and nothing else, whatever the
role: a notification opened by another account's id is a 404, like any record out of scope. Opening
one (<pk>/open/, catalogue/views/staff/notifications.py) marks it read and goes on to the record it is
about, where the admin's own scope rules apply again; its own page (the change page, read-only) shows it
whole. Nobody adds, edits or deletes notifications here; the services write them
(catalogue/services/notifications.py). Read and unread, and marking read, are the queryset's.
"""

from functools import partial

from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Notification
from catalogue.scopes import ScopeRule
from catalogue.views.staff.notifications import open_view

from .base import NotFoundMixin, ScopedQuerysetMixin


class ReadFilter(admin.SimpleListFilter):
    title = _("阅读状态")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("未读")), ("yes", _("已读"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unread()
        if self.value() == "yes":
            return queryset.read()
        return queryset


@admin.action(description=_("将所选通知标为已读"))
def mark_read(modeladmin, request, queryset):
    count = queryset.mark_read()
    modeladmin.message_user(request, gettext("已将 %(count)s 条通知标为已读。") % {"count": count}, messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(NotFoundMixin, ScopedQuerysetMixin, admin.ModelAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    list_display = ["title_link", "kind", "body_excerpt", "created_at", "read_state"]
    list_display_links = None
    list_filter = [ReadFilter, "kind"]
    search_fields = ["title", "body"]
    date_hierarchy = None
    actions = [mark_read]
    list_per_page = 50
    fields = ["title", "kind", "body", "target_link", "actor", "created_at", "read_at", "emailed_at"]
    readonly_fields = fields

    # Every staff account has its own notifications, whatever its group's model permissions.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.recipient_id != request.user.pk:
            return False
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Only marking as read: exporting or deleting another's notifications is impossible anyway,
        # and one's own need neither.
        actions = super().get_actions(request)
        return {name: action for name, action in actions.items() if name == "mark_read"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target_type", "actor")

    def get_urls(self):
        # Opening one (catalogue/views/staff/notifications.py) asks this admin for the recipient's own notification.
        opening = self.admin_site.admin_view(partial(open_view, model_admin=self))
        own = [path("<path:object_id>/open/", opening, name="catalogue_notification_open")]
        return own + super().get_urls()

    @admin.display(description=_("相关记录"))
    def target_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalogue_notification_open", args=[obj.pk]), _("打开"))

    @admin.display(description=_("通知"), ordering="title")
    def title_link(self, obj):
        url = reverse("admin:catalogue_notification_open", args=[obj.pk])
        css = "notification-link" if obj.is_read else "notification-link notification-link--unread"
        return format_html('<a class="{}" href="{}">{}</a>', css, url, obj.title)

    @admin.display(description=_("内容"))
    def body_excerpt(self, obj):
        text = obj.body or ""
        return text if len(text) <= 80 else text[:80] + "…"

    @admin.display(description=_("状态"), ordering="read_at")
    def read_state(self, obj):
        return gettext("已读") if obj.is_read else gettext("未读")
