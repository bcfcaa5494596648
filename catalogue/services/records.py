"""What every save and delete of a record shares, whoever calls it (the admin, the import, a script):
lock the row whose state decides whether it may change, and refuse when that state froze it.

A form read the record without a lock; between that read and the save another clerk may have published
the edition, submitted the pilot item or published the evaluation. The lock holds until the caller's
transaction commits, and the model's own `is_frozen` (a published edition, a submitted pilot item …)
decides, so the rule is written once, on the data.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.permissions import may_review


def service_message(error):
    """A service's refusal (ValidationError or PermissionDenied) as one line for the clerk."""
    return "；".join(str(message) for message in getattr(error, "messages", [error]))


def frozen_refusal(obj):
    return PermissionDenied(
        _("该%(name)s已被他人处理（例如已报送、已发布），本次修改没有保存。请刷新页面后重试。")
        % {"name": obj._meta.verbose_name}
    )


def lock_unfrozen(obj):
    """obj's row as stored now, locked until the transaction ends; PermissionDenied when it is frozen.

    A new object (no pk) has nothing to lock: None."""
    if obj.pk is None:
        return None
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(current, "is_frozen", False):
        raise frozen_refusal(obj)
    return current


def save_record(obj, *, by, reason=""):
    """Save obj unless it (as stored) is frozen; for records without a service of their own."""
    with transaction.atomic():
        lock_unfrozen(obj)
        obj._history_user = by  # who, in the history, whoever calls (a script has no request to take it from)
        if reason:
            obj._change_reason = reason
        obj.save()
        return obj


def require_reviewer(obj, by):
    """Reference data every staff role reads (regions, categories, providers' public data): municipal finance
    (catalogue.permissions.may_review) keeps it, whatever model permissions a group was given."""
    if not may_review(by):
        raise PermissionDenied(_("只有市财政局可以修改%(name)s。") % {"name": obj._meta.verbose_name})


def save_shared_record(obj, *, by):
    require_reviewer(obj, by)
    return save_record(obj, by=by)


def delete_shared_record(obj, *, by):
    require_reviewer(obj, by)
    delete_record(obj, by=by)


def delete_record(obj, *, by):
    """Delete obj unless it (as stored) is frozen."""
    with transaction.atomic():
        lock_unfrozen(obj)
        obj._history_user = by
        obj.delete()
