"""The admin fails closed: every registered admin, and every inline it lists, says whose rows it shows.

An admin declares `scope_rule` (catalogue.scopes.ScopeRule). Without one, or with VISIBLE_TO on a model
whose queryset has no visible_to(), or with VISIBLE_TO on an admin that does not route its queryset through
ScopedQuerysetMixin, this system check is an error, and Django refuses to start (runserver, migrate, check);
tests/test_admin_fails_closed.py runs it too. A model added later without a rule is therefore never shown to
every staff role by accident.

Inlines are checked twice over: those an admin lists in `inlines`, and every inline class defined in the
project's own packages, because an admin may hand one out only from get_inlines(request, obj) (the edition
page shows its items inline only for small editions), which a check cannot call without a request.
"""

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.sites import all_sites
from django.core import checks

from catalogue.scopes import ScopeRule

from .base import ScopedQuerysetMixin


def _problems(owner, model):
    rule = getattr(owner, "scope_rule", None)
    cls = owner if isinstance(owner, type) else type(owner)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if rule not in ScopeRule.ALL:
        yield checks.Error(
            f"{name} shows {model._meta.label} without a scope rule.",
            hint="Set scope_rule to one of catalogue.scopes.ScopeRule (VISIBLE_TO, SHARED, OWN, PARENT).",
            obj=owner,
            id="catalogue.E101",
        )
        return
    if rule == ScopeRule.VISIBLE_TO:
        if not hasattr(model._default_manager.all(), "visible_to"):
            yield checks.Error(
                f"{name} declares VISIBLE_TO but {model._meta.label}'s queryset has no visible_to().",
                hint="Give the model's QuerySet a visible_to(user) that asks catalogue.scopes.Scope.",
                obj=owner,
                id="catalogue.E102",
            )
        if not issubclass(cls, ScopedQuerysetMixin):
            yield checks.Error(
                f"{name} declares VISIBLE_TO but does not use ScopedQuerysetMixin.",
                hint="Inherit ScopedQuerysetMixin (or ScopedAdminMixin / ScopedHistoryAdmin) from catalogue/admin/base.py.",
                obj=owner,
                id="catalogue.E103",
            )


# Inline classes defined under these packages are checked whether or not an admin lists them.
PROJECT_PACKAGES = ("catalogue", "logins")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_inlines():
    """Every concrete inline class (it names a model) defined in the project's own packages."""
    return {
        inline
        for inline in _subclasses(InlineModelAdmin)
        if inline.__module__.split(".")[0] in PROJECT_PACKAGES and getattr(inline, "model", None) is not None
    }


def admin_scope_errors(sites=None):
    """Every registered admin, its listed inlines and the project's inline classes without a usable scope rule."""
    errors = []
    inlines = project_inlines()
    for site in sites if sites is not None else all_sites:
        for model, model_admin in site._registry.items():
            errors.extend(_problems(model_admin, model))
            inlines.update(model_admin.inlines)
    for inline in sorted(inlines, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}"):
        errors.extend(_problems(inline, inline.model))
    return errors


@checks.register(checks.Tags.admin)
def check_admin_scopes(app_configs=None, **kwargs):
    return admin_scope_errors()
