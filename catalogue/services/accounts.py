"""Staff accounts: who keeps them, and what an account municipal finance keeps may be (DOMAIN.md §11).

What an account is bound to (its role, region and body) is the staff profile's own rule
(StaffProfile.clean); which group carries its permissions is catalogue/roles.py's.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.permissions import may_manage_account


def save_staff_account(account, *, by):
    """Save `account` for `by`: a superuser keeps any account; municipal finance keeps the county, department
    and new accounts, which are staff accounts and never superusers, whatever a form or a forged POST says
    (only a superuser makes another superuser or another municipal account)."""
    with transaction.atomic():
        # Who may keep it is decided by the account as stored (locked), not by what the form changed; a new
        # account is judged as a blank one.
        stored = type(account).objects.select_for_update().filter(pk=account.pk).first() if account.pk else None
        if not may_manage_account(by, stored if stored is not None else type(account)()):
            raise PermissionDenied(_("您无权修改该账号。"))
        if not by.is_superuser:
            account.is_staff = True
            account.is_superuser = False
        account.save()
    return account
