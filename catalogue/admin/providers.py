from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalogue.models import Provider

from .base import MunicipalEditsMixin, ScopedHistoryAdmin


@admin.register(Provider)
class ProviderAdmin(MunicipalEditsMixin, ScopedHistoryAdmin):
    """Every staff role reads the providers; municipal finance keeps them (qualification is a later issue)."""

    list_display = [
        "name",
        "kind",
        "credit_code",
        "region",
        "qualification_status",
        "qualified_until",
        "evaluation_grade",
    ]
    list_filter = ["qualification_status", "kind", "evaluation_grade", "region"]
    search_fields = ["name", "credit_code", "registration_authority"]
    ordering = ["name"]
    autocomplete_fields = ["region", "categories"]
    list_select_related = ["region"]
    fieldsets = [
        (_("基本信息"), {"fields": ["name", "kind", "credit_code", "registration_authority", "region"]}),
        (
            _("资质"),
            {
                "fields": ["qualification_status", "qualified_until", "evaluation_grade", "categories"],
                "description": _("可承接的服务类别可选一级、二级或三级；选上级类别即包括其全部下级。"),
            },
        ),
        (_("联系方式与简介"), {"fields": ["address", "phone", "introduction"]}),
    ]
