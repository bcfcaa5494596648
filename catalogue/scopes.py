"""Who may see what in the staff tools: one place, read by every queryset's visible_to().

Municipal finance (and superusers) see every region; a county finance office
sees its own region; department staff see the items their own purchasing
body buys. Anyone else — anonymous, inactive, not staff, or staff without a
profile — sees nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist


@dataclass(frozen=True)
class Scope:
    role: str | None = None
    region_id: int | None = None
    body_id: int | None = None

    SUPERUSER = "SUPERUSER"

    @classmethod
    def of(cls, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
            return cls()
        cached = getattr(user, "_catalogue_scope", None)
        if cached is not None:
            return cached
        if user.is_superuser:
            scope = cls(role=cls.SUPERUSER)
        else:
            try:
                profile = user.staff_profile
            except ObjectDoesNotExist:
                scope = cls()
            else:
                scope = cls(role=profile.role, region_id=profile.region_id, body_id=profile.purchasing_body_id)
        user._catalogue_scope = scope
        return scope

    def restrict(self, queryset, *, region=None, department=None):
        """Narrow queryset to this scope: everything, the rows whose `region` lookup is the county's
        region, or the rows `department(body_id)` (a Q) picks; nothing for anyone else or for a role
        the model names no rule for."""
        if self.sees_everything:
            return queryset.all()
        if self.is_county and region:
            return queryset.filter(**{region: self.region_id})
        if self.is_department and department:
            return queryset.filter(department(self.body_id))
        return queryset.none()

    @property
    def sees_everything(self):
        from catalogue.models import StaffProfile

        return self.role in (self.SUPERUSER, StaffProfile.Role.MUNICIPAL_FINANCE)

    @property
    def is_county(self):
        from catalogue.models import StaffProfile

        return self.role == StaffProfile.Role.COUNTY_FINANCE and self.region_id is not None

    @property
    def is_department(self):
        from catalogue.models import StaffProfile

        return self.role == StaffProfile.Role.DEPARTMENT and self.body_id is not None


class ScopeRule:
    """The rule an admin (or an inline) declares for whose rows it shows; an admin without one does not
    load (catalogue/admin/checks.py). The values are the only answers there are:

    VISIBLE_TO  the rows Model.objects.visible_to(user) returns, i.e. Scope.restrict above.
    SHARED      reference data (regions, categories, evaluation weights) that every staff role reads and
                only municipal finance changes (MunicipalEditsMixin).
    OWN         the admin names its own rule in its docstring and code: accounts (only non-superusers for
                municipal finance), the login records (may_manage_logins), groups (no role is granted them).
    PARENT      an inline whose rows are those of a parent the parent's own rule has already scoped.
    """

    VISIBLE_TO = "visible_to"
    SHARED = "shared"
    OWN = "own"
    PARENT = "parent"

    ALL = (VISIBLE_TO, SHARED, OWN, PARENT)
