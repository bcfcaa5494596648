from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is its recipient's alone: no role, not even municipal finance, reads another's."""
        if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def read(self):
        return self.filter(read_at__isnull=False)

    def mark_read(self):
        """Mark the unread ones read, now (a read one keeps when it was first read); the number marked."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One message to one staff member: something in their work moved (issue 12, finding 3).

    Written by catalogue/services/notifications.py in the same transaction as the change it reports
    (so a refused or rolled-back operation tells nobody anything); the email copy leaves after commit.
    The text is kept as written, in the site's language, like any record; the link is the record
    itself (target), opened through the admin, where the recipient's scope still applies.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("试点事项已报送")
        SUBMISSION_WITHDRAWN = "SUBMISSION_WITHDRAWN", _("试点事项已撤回报送")
        RETURNED = "RETURNED", _("试点事项被退回")
        APPROVED = "APPROVED", _("试点事项已通过")
        DRAFT_OPENED = "DRAFT_OPENED", _("目录草稿已开放编制")
        PUBLISHED = "PUBLISHED", _("目录已发布")
        WITHDRAWN = "WITHDRAWN", _("目录已撤回")
        CORRECTED = "CORRECTED", _("目录发布信息已更正")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("通知"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    target_type = models.ForeignKey(ContentType, verbose_name=_("相关记录类型"), on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(_("相关记录"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_recipient_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None
