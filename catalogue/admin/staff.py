from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from catalogue.models import StaffProfile


class StaffProfileInline(admin.StackedInline):
    """A staff account's role and scope, edited on the account itself (DOMAIN.md §11)."""

    model = StaffProfile
    fk_name = "user"
    max_num = 1
    fields = ["role", "region", "purchasing_body"]
    autocomplete_fields = ["region", "purchasing_body"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "full_name", "email", "is_staff", "is_superuser", "staff_role", "staff_scope"]
    list_filter = [*DjangoUserAdmin.list_filter, "staff_profile__role", "staff_profile__region"]
    list_select_related = ["staff_profile__region", "staff_profile__purchasing_body"]

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
        if profile is None:
            return self.get_empty_value_display()
        if profile.purchasing_body_id:
            return profile.purchasing_body.name
        if profile.region_id:
            return profile.region.name
        return _("全市")
