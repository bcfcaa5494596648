"""{% notifications_link %}: 通知 and the unread count, in the admin's header on every page (one query)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from catalogue.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return ""
    unread = Notification.objects.visible_to(user).unread().count()
    url = reverse("admin:catalogue_notification_changelist")
    if unread:
        return format_html(
            '<a href="{}?read=no" class="notifications-link notifications-link--unread" id="notifications-link">{}'
            '<span class="notifications-count" aria-label="{}">{}</span></a> / ',
            url,
            gettext("通知"),
            gettext("%(count)s 条未读") % {"count": unread},
            unread,
        )
    return format_html('<a href="{}" class="notifications-link" id="notifications-link">{}</a> / ', url, gettext("通知"))
