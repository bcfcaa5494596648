"""Staff accounts: municipal finance creates, binds and disables county and department accounts.

A superuser has Django's full user admin. Municipal finance (not a superuser) gets a narrower one:
- it never sees superusers (404), and sees other municipal accounts read-only
  (catalogue.permissions.may_manage_account);
- the form has no is_superuser, is_staff, groups or permissions: the account's group follows the
  role of its staff profile (catalogue/roles.py), and the only roles it may give are 县级财政部门 and 部门;
  what each role is bound to is the profile's own rule (StaffProfile.clean);
- the accounts it keeps are staff accounts, never superusers (catalogue/services/accounts.py);
- it disables an account by clearing 有效 (is_active), never deletes;
- its own password it changes through the admin's 修改密码 page, like every other staff member.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin, UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from catalogue.models import StaffProfile
from catalogue.permissions import may_manage_account
from catalogue.roles import GRANTABLE_ROLES, sync_role_group
from catalogue.scopes import ScopeRule
from catalogue.services.accounts import save_staff_account

from .base import NotFoundMixin


class StaffProfileInline(admin.StackedInline):
    """A staff account's role and scope, edited on the account itself (DOMAIN.md §11)."""

    scope_rule = ScopeRule.PARENT

    model = StaffProfile
    fk_name = "user"
    max_num = 1
    fields = ["role", "region", "purchasing_body"]
    autocomplete_fields = ["region", "purchasing_body"]

    def get_min_num(self, request, obj=None, **kwargs):
        # Accounts municipal finance makes are always bound to a role and scope.
        return 0 if request.user.is_superuser else 1

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [("", "---------"), *((role.value, role.label) for role in GRANTABLE_ROLES)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(NotFoundMixin, DjangoUserAdmin):
    # Its own rule (get_queryset, may_manage_account): municipal finance keeps the accounts that are not superusers.
    scope_rule = ScopeRule.OWN

    inlines = [StaffProfileInline]
    list_display = [
        "username",
        "full_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "staff_role",
        "staff_scope",
    ]
    list_filter = [*DjangoUserAdmin.list_filter, "staff_profile__role", "staff_profile__region"]
    list_select_related = ["staff_profile__region", "staff_profile__purchasing_body"]

    # What municipal finance (not a superuser) sees of an account.
    municipal_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email")}),
        (_("状态"), {"fields": ("is_active",), "description": _("停用账号请取消勾选“有效”；账号不删除，以便保留操作记录。")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    municipal_add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.municipal_add_fieldsets if obj is None else self.municipal_fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["last_login", "date_joined"]
        return fields

    def save_model(self, request, obj, form, change):
        save_staff_account(obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_role_group(form.instance)

    @admin.display(description=_("姓名"), ordering="last_name")
    def full_name(self, obj):
        return f"{obj.last_name}{obj.first_name}" or self.get_empty_value_display()

    @admin.display(description=_("角色"), ordering="staff_profile__role")
    def staff_role(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.get_role_display() if profile else self.get_empty_value_display()

    @admin.display(description=_("负责范围"))
    def staff_scope(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.scope_name if profile else self.get_empty_value_display()


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Django's group admin, registered again only to say its rule: the role groups are kept by
    catalogue/roles.py, and no role is granted the group permissions, so only a superuser opens it."""

    scope_rule = ScopeRule.OWN
