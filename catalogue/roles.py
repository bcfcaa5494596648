"""The three roles as Django groups: which model permissions each one carries (DOMAIN.md §11).

The group carries what a role may do to a kind of record; the StaffProfile carries where (which
region, which purchasing body), and catalogue/scopes.py and catalogue/permissions.py check it.
Not admin code: the setup_roles command, seed_demo and the user admin read it.
`setup_roles` (a management command, also called by seed_demo) is the single place that writes
these groups; the user admin puts each account in the group of its profile's role.

Group names are fixed Chinese strings, not translated labels: they are data, matched by name.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from catalogue.models import StaffProfile

Role = StaffProfile.Role

ROLE_GROUPS = {
    Role.MUNICIPAL_FINANCE: "市财政局",
    Role.COUNTY_FINANCE: "县级财政部门",
    Role.DEPARTMENT: "部门",
}

# The roles municipal finance may hand out; only a superuser makes another municipal account.
GRANTABLE_ROLES = (Role.COUNTY_FINANCE, Role.DEPARTMENT)

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

# {role: {"app_label.model": actions}}. Anything not listed is not granted.
ROLE_PERMISSIONS = {
    # Compiles the city's edition, reviews the counties, publishes; keeps the shared reference data
    # and the county and department accounts. Reviews pilot items without rewriting them (view only;
    # approve and return are operations). Regions are the notice's own list: no deleting.
    Role.MUNICIPAL_FINANCE: {
        "catalogue.region": (VIEW, ADD, CHANGE),
        "catalogue.servicecategory": ALL,
        "catalogue.purchasingbody": ALL,
        "catalogue.provider": ALL,
        "catalogue.catalogue": ALL,
        "catalogue.catalogueitem": ALL,
        "catalogue.pilotitem": (VIEW,),
        "catalogue.staffprofile": (VIEW, ADD, CHANGE),
        "auth.user": (VIEW, ADD, CHANGE),
        # Qualifies providers (condition checks inline on the provider), keeps the evaluation weights.
        "catalogue.qualificationcheck": (VIEW, ADD, CHANGE),
        "catalogue.contract": ALL,
        "catalogue.evaluation": ALL,
        "catalogue.evaluationweights": (VIEW, ADD, CHANGE),
        # Sees failed sign-ins and lock-outs and lifts a lock-out (deleting its failure counts).
        "logins.loginlockout": (VIEW, DELETE),
        "logins.failedlogin": (VIEW,),
        "logins.stafflogin": (VIEW,),
    },
    # Keeps its own county's edition, items and purchasing bodies, drafts and submits pilot items.
    Role.COUNTY_FINANCE: {
        "catalogue.region": (VIEW,),
        "catalogue.servicecategory": (VIEW,),
        "catalogue.provider": (VIEW,),
        "catalogue.purchasingbody": (VIEW, ADD, CHANGE),
        "catalogue.catalogue": ALL,
        "catalogue.catalogueitem": ALL,
        "catalogue.pilotitem": ALL,
        # Its region's contracts and their evaluations.
        "catalogue.qualificationcheck": (VIEW,),
        "catalogue.contract": ALL,
        "catalogue.evaluation": ALL,
        "catalogue.evaluationweights": (VIEW,),
    },
    # Maintains the items its own body buys, in draft editions.
    Role.DEPARTMENT: {
        "catalogue.region": (VIEW,),
        "catalogue.servicecategory": (VIEW,),
        "catalogue.provider": (VIEW,),
        "catalogue.purchasingbody": (VIEW,),
        "catalogue.catalogue": (VIEW,),
        "catalogue.catalogueitem": (VIEW, CHANGE),
        # Records its own body's contracts and their self-evaluation.
        "catalogue.qualificationcheck": (VIEW,),
        "catalogue.contract": (VIEW, ADD, CHANGE),
        "catalogue.evaluation": (VIEW, ADD, CHANGE),
        "catalogue.evaluationweights": (VIEW,),
    },
}


class MissingPermissions(Exception):
    pass


def permissions_for(role):
    wanted = {
        (app_label, f"{action}_{model}")
        for label, actions in ROLE_PERMISSIONS[role].items()
        for app_label, model in [label.split(".")]
        for action in actions
    }
    found = list(
        Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted},
            content_type__app_label__in={app for app, _codename in wanted},
        )
    )
    found = [perm for perm in found if (perm.content_type.app_label, perm.codename) in wanted]
    missing = wanted - {(perm.content_type.app_label, perm.codename) for perm in found}
    if missing:
        raise MissingPermissions(", ".join(sorted(f"{app}.{code}" for app, code in missing)))
    return found


@transaction.atomic
def ensure_role_groups():
    """Create or correct the three groups; return {role: group}. Writes nothing when all is right."""
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(role))
        groups[role] = group
    return groups


def sync_role_group(user):
    """Put the account in its profile's role group and out of the other role groups (others untouched)."""
    profile = StaffProfile.objects.filter(user=user).first()
    wanted = ROLE_GROUPS.get(profile.role) if profile else None
    role_groups = list(Group.objects.filter(name__in=ROLE_GROUPS.values()))
    current = set(user.groups.filter(name__in=ROLE_GROUPS.values()).values_list("name", flat=True))
    remove = [group for group in role_groups if group.name in current and group.name != wanted]
    if remove:
        user.groups.remove(*remove)
    if wanted and wanted not in current:
        group = next((g for g in role_groups if g.name == wanted), None)
        if group is None:
            group = ensure_role_groups()[profile.role]
        user.groups.add(group)
