"""A provider's qualification: condition checks, then 认定 for categories until a date; 暂停, 恢复, 撤销.

Rule source: the policy lets only qualified social forces bid (竞争择优; 国办发〔2013〕96号 二(三),
DOMAIN.md §5). Municipal finance (市财政局) checks the conditions and decides; every step locks the
provider, is allowed only from the states QUALIFICATION_TRANSITIONS lists, and is recorded as a
ProviderStatusChange (who, when, why, the dates and categories set) and in the provider's history.
A qualification lapses by itself when its date passes: nothing is written, the provider reads
已过期 (Provider.current_status) and drops out of Provider.objects.qualified().
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import (
    QUALIFICATION_LIFECYCLE,
    Provider,
    ProviderStatusChange,
    QualificationCheck,
    unmet_conditions,
)
from catalogue.permissions import may_review

Action = ProviderStatusChange.Action


def _require_reviewer(user, what):
    if not may_review(user):
        raise PermissionDenied(_("只有市财政局可以%(what)s。") % {"what": what})


def _require_reason(reason, what):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("%(what)s须说明理由。") % {"what": what}})
    return reason.strip()


def _transition(provider, action, *, by, reason=""):
    """Lock the provider, check the step is allowed from its current state, record it; return the locked row."""
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    from_status, target = QUALIFICATION_LIFECYCLE.step(locked, action, by=by, reason=reason)
    change = ProviderStatusChange(
        provider=locked, action=action, from_status=from_status, to_status=target, by=by, reason=reason
    )
    return locked, change


def _finish(locked, change):
    locked.full_clean()
    locked.save()
    change.qualified_from, change.qualified_until = locked.qualified_from, locked.qualified_until
    change.save()
    return locked


def record_check(check, *, by):
    """Record one condition check (a new or changed QualificationCheck) with who checked it and when."""
    _require_reviewer(by, _("核查承接主体的资质条件"))
    check.checked_by = by
    check.checked_at = timezone.now()
    check.full_clean()
    check._history_user = by
    check.save()
    return check


def check_condition(provider, condition, *, by, result, reference="", evidence=None, note=""):
    """Record the result of `condition` for `provider`, replacing an earlier check of the same condition."""
    with transaction.atomic():
        # The provider's row serialises checks with each other and with qualify_provider.
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        check = QualificationCheck.objects.filter(provider=provider, condition=condition).first()
        if check is None:
            check = QualificationCheck(provider=provider, condition=condition)
        check.result, check.reference, check.note = result, reference, note
        if evidence is not None:
            check.evidence = evidence
        return record_check(check, by=by)


def qualify_provider(provider, *, by, categories, until, note="", qualified_from=None):
    """认定: the provider may serve `categories` (and every category below them) from `qualified_from`
    (today by default) until `until`.

    Every condition that applies must have been checked 符合 (or 不适用 where allowed); otherwise
    the missing ones are listed. Also renews a qualification or changes its categories, and
    qualifies again after a revocation (with every condition met).
    """
    _require_reviewer(by, _("认定承接主体"))
    categories = list(categories or [])
    qualified_from = qualified_from or timezone.localdate()
    errors = {}
    if not categories:
        errors["categories"] = _("请选择认定可承接的服务类别。")
    if not until:
        errors["until"] = _("请填写认定有效期。")
    elif until < timezone.localdate():
        errors["until"] = _("认定有效期不能早于今天。")
    elif until < qualified_from:
        errors["until"] = _("认定有效期不能早于认定日期（%(date)s）。") % {"date": qualified_from.isoformat()}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        names = "、".join(f"{category.code} {category.name}" for category in categories)
        locked, change = _transition(provider, Action.QUALIFY, by=by, reason=(note or "").strip())
        missing = unmet_conditions(locked)
        if missing:
            raise ValidationError(
                _("以下资质条件尚未核查为“符合”，不能认定：%(conditions)s。")
                % {"conditions": "；".join(f"{int(c)}. {c.label}" for c in missing)}
            )
        locked.qualified_from = qualified_from
        locked.qualified_until = until
        locked._change_reason = _("认定至%(until)s：%(categories)s") % {"until": until.isoformat(), "categories": names}
        change.categories = names
        locked.categories.set(categories)
        return _finish(locked, change)


def suspend_provider(provider, *, by, reason):
    """暂停: the provider may not sign new contracts until it is reinstated (恢复) or revoked."""
    _require_reviewer(by, _("暂停承接主体的资质"))
    reason = _require_reason(reason, _("暂停资质"))
    with transaction.atomic():
        return _finish(*_transition(provider, Action.SUSPEND, by=by, reason=reason))


def reinstate_provider(provider, *, by, reason):
    """恢复: a suspended provider is qualified again, on its former terms, if they have not lapsed."""
    _require_reviewer(by, _("恢复承接主体的资质"))
    reason = _require_reason(reason, _("恢复资质"))
    with transaction.atomic():
        locked, change = _transition(provider, Action.REINSTATE, by=by, reason=reason)
        if locked.qualified_until and locked.qualified_until < timezone.localdate():
            raise ValidationError(
                _("认定有效期已于%(date)s届满，不能恢复；请重新核查资质条件后认定。")
                % {"date": locked.qualified_until.isoformat()}
            )
        return _finish(locked, change)


def revoke_provider(provider, *, by, reason):
    """撤销: the qualification ends; only a new 认定, every condition checked again, restores it."""
    _require_reviewer(by, _("撤销承接主体的资质"))
    reason = _require_reason(reason, _("撤销资质"))
    with transaction.atomic():
        return _finish(*_transition(provider, Action.REVOKE, by=by, reason=reason))
