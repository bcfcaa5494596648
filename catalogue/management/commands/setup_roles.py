"""Create the three staff groups with exactly their role's permissions, and put every profiled account
in its role's group. Safe to run again: it only writes what differs (catalogue/roles.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalogue.roles import ROLE_GROUPS, MissingPermissions, ensure_role_groups, sync_role_group


class Command(BaseCommand):
    help = "建立市财政局、县级财政部门、部门三个用户组及其权限 / Create the three staff groups and their permissions."

    def handle(self, *args, **options):
        try:
            groups = ensure_role_groups()
        except MissingPermissions as exc:
            raise CommandError(f"缺少权限，请先运行 migrate / missing permissions, run migrate first: {exc}") from exc
        users = get_user_model().objects.filter(staff_profile__isnull=False).prefetch_related("groups")
        for user in users:
            sync_role_group(user)
        if options["verbosity"] < 1:
            return
        for role, group in groups.items():
            self.stdout.write(f"{ROLE_GROUPS[role]}: {group.permissions.count()} 项权限 permissions")
