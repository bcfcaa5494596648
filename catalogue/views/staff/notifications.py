"""Opening a notification: it is marked read and the clerk goes on to the record it is about.

Registered by NotificationAdmin.get_urls as admin:catalogue_notification_open. The notification is asked of
the admin (the recipient's own, or a 404); the record's own page then applies its admin's scope rules again.
"""

from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from catalogue.models import Notification


def target_url(notification):
    """The admin page of the record a notification is about."""
    target = notification.target_type
    try:
        return reverse(f"admin:{target.app_label}_{target.model}_change", args=[notification.target_id])
    except NoReverseMatch:
        return reverse("admin:index")


def open_view(request, object_id, *, model_admin):
    """Mark the notification read and go to its record."""
    notification = model_admin.get_object(request, unquote(object_id))
    if notification is None:
        raise model_admin.not_found()
    if not notification.is_read:
        Notification.objects.filter(pk=notification.pk).mark_read()
    return HttpResponseRedirect(target_url(notification))
