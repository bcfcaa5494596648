"""Read and unread, and marking read, are the notification queryset's (catalogue/models/notifications.py), which
the admin's filter, its bulk action and the open page (catalogue/views/staff/notifications.py) all call."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from catalogue.models import Notification, Region
from tests import factories as f


def note(recipient, title, read_at=None):
    region = Region.objects.get(slug="xianan")
    return Notification.objects.create(
        recipient=recipient,
        kind=Notification.Kind.PUBLISHED,
        title=title,
        target_type=ContentType.objects.get_for_model(Region),
        target_id=region.pk,
        read_at=read_at,
    )


def test_marking_read_marks_only_the_unread_and_keeps_when_the_others_were_read():
    clerk = f.county("xianan", "xianan")
    earlier = timezone.now() - timedelta(days=3)
    old = note(clerk, "咸安区2017年目录已发布", read_at=earlier)
    new = note(clerk, "咸安区2018年目录已发布")
    assert list(Notification.objects.unread()) == [new] and list(Notification.objects.read()) == [old]
    assert Notification.objects.all().mark_read() == 1
    assert not Notification.objects.unread().exists()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.read_at == earlier and new.is_read
    assert Notification.objects.all().mark_read() == 0
