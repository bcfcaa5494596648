"""The admin fails closed: a model registered without a scope rule does not load, and shows nothing.

catalogue/admin/checks.py is the one check; catalogue.scopes.ScopeRule the rules an admin may declare.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import all_sites
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from catalogue.admin.base import ScopedAdminMixin, ScopedQuerysetMixin
from catalogue.admin.checks import admin_scope_errors
from catalogue.models import CatalogueItem, Provider, QualificationCheck, Region
from catalogue.scopes import ScopeRule
from tests import factories as f


def _ids(errors):
    return [error.id for error in errors]


@pytest.fixture
def site():
    """A throwaway admin site, taken out of Django's list of sites afterwards so no other check sees it."""
    probe = admin.AdminSite(name="probe")
    yield probe
    all_sites.discard(probe)


def test_every_registered_admin_and_inline_says_its_scope_rule():
    assert admin_scope_errors([admin.site]) == []
    for model, model_admin in admin.site._registry.items():
        assert model_admin.scope_rule in ScopeRule.ALL, model._meta.label
        for inline in model_admin.inlines:
            assert inline.scope_rule in ScopeRule.ALL, inline


def test_a_model_registered_without_a_scope_rule_is_an_error(site):
    site.register(QualificationCheck)
    assert _ids(admin_scope_errors([site])) == ["catalogue.E101"]


def test_an_inline_without_a_scope_rule_is_an_error(site):
    class Inline(admin.TabularInline):
        model = QualificationCheck

    class ProviderProbeAdmin(ScopedAdminMixin, admin.ModelAdmin):
        scope_rule = ScopeRule.VISIBLE_TO
        inlines = [Inline]

    site.register(Provider, ProviderProbeAdmin)
    assert _ids(admin_scope_errors([site])) == ["catalogue.E101"]


def test_visible_to_is_refused_on_a_model_without_visible_to(site):
    class RegionProbeAdmin(ScopedAdminMixin, admin.ModelAdmin):
        scope_rule = ScopeRule.VISIBLE_TO

    site.register(Region, RegionProbeAdmin)
    assert _ids(admin_scope_errors([site])) == ["catalogue.E102"]


def test_visible_to_is_refused_on_an_admin_that_does_not_apply_it(site):
    class ItemProbeAdmin(admin.ModelAdmin):
        scope_rule = ScopeRule.VISIBLE_TO

    site.register(CatalogueItem, ItemProbeAdmin)
    assert _ids(admin_scope_errors([site])) == ["catalogue.E103"]


def test_django_refuses_to_start_while_a_model_is_registered_without_a_rule():
    admin.site.register(QualificationCheck)
    try:
        with pytest.raises(CommandError, match="catalogue.E101"):
            call_command("check", verbosity=0)
    finally:
        admin.site.unregister(QualificationCheck)
    call_command("check", verbosity=0)


@pytest.mark.django_db
def test_a_scoped_admin_without_a_rule_shows_no_rows_even_to_a_superuser(site):
    class ItemProbeAdmin(ScopedQuerysetMixin, admin.ModelAdmin):
        pass

    f.item(f.edition())
    request = RequestFactory().get("/")
    request.user = f.staff_user("root")  # a superuser
    assert ItemProbeAdmin(CatalogueItem, site).get_queryset(request).count() == 0
    ItemProbeAdmin.scope_rule = ScopeRule.VISIBLE_TO
    assert ItemProbeAdmin(CatalogueItem, site).get_queryset(request).count() == 1


def test_an_inline_handed_out_only_by_get_inlines_is_checked_too(site):
    """An admin may return an inline from get_inlines(request, obj) without listing it; the check cannot call
    that without a request, so it walks every inline class the project defines."""

    class HiddenInline(admin.TabularInline):
        model = QualificationCheck

    HiddenInline.__module__ = "catalogue.admin.probe"

    class ProviderProbeAdmin(ScopedAdminMixin, admin.ModelAdmin):
        scope_rule = ScopeRule.VISIBLE_TO

        def get_inlines(self, request, obj):
            return [HiddenInline]

    site.register(Provider, ProviderProbeAdmin)
    try:
        errors = admin_scope_errors([site])
        assert _ids(errors) == ["catalogue.E101"]
        assert "HiddenInline" in errors[0].msg
        HiddenInline.scope_rule = ScopeRule.PARENT
        assert admin_scope_errors([site]) == []
    finally:
        HiddenInline.__module__ = __name__  # out of the project's packages again, for the other tests


def test_the_project_inlines_found_include_those_only_get_inlines_returns():
    from catalogue.admin.checks import project_inlines

    names = {inline.__name__ for inline in project_inlines()}
    assert {"CatalogueItemInline", "QualificationCheckInline", "StaffProfileInline"} <= names
