"""Lifting lock-outs: who may, and what it removes.

Rule source: issue 9 — municipal finance (and the superuser) see and lift lock-outs; nobody else
does, whatever permissions a group was given (catalogue/scopes.py decides who sees everything).
"""

import logging

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from catalogue.scopes import Scope

log = logging.getLogger("logins")


def may_manage_logins(user):
    return Scope.of(user).sees_everything


@transaction.atomic
def lift_lockouts(attempts, *, by):
    """Forget the failures of the selected attempts' clients (each account at each address), so they may sign in now.

    Every row of the same account and address goes, whatever browser it came from: the lock counts
    them together. Returns the number of rows removed; the log says who lifted which.
    """
    if not may_manage_logins(by):
        raise PermissionDenied(_("只有市财政局可以解除登录锁定。"))
    clients = set(attempts.values_list("username", "ip_address"))
    if not clients:
        return 0
    same_clients = Q()
    for username, address in clients:
        same_clients |= Q(username=username, ip_address=address)
    removed, _details = AccessAttempt.objects.filter(same_clients).delete()
    for username, address in sorted(clients, key=str):
        log.warning("登录锁定已解除 login lock-out lifted: username %r from %s, by %s", username, address, by.get_username())
    return removed
