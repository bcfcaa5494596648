"""The import pages' routes: upload → preview → confirm and the template downloads, under the edition admin.

The pages are views (catalogue/views/staff/imports.py); CatalogueAdmin.get_urls includes these routes under
the namespace admin:catalogue_import, each through admin_site.admin_view, so they need a staff login like
every admin page.
"""

from django.urls import path, reverse

from catalogue.views.staff.imports import (
    edition_import,
    edition_import_confirm,
    edition_import_template,
    import_template,
)


def import_url(edition):
    return reverse("admin:catalogue_import:upload", args=[edition.pk])


def import_urls(admin_site):
    """The import pages, for CatalogueAdmin.get_urls (under admin/catalogue/catalogue/)."""
    return [
        path("<int:pk>/import/", admin_site.admin_view(edition_import), name="upload"),
        path("<int:pk>/import/confirm/", admin_site.admin_view(edition_import_confirm), name="confirm"),
        path("<int:pk>/import/template.xlsx", admin_site.admin_view(edition_import_template), name="edition_template"),
        path("import-template.xlsx", admin_site.admin_view(import_template), name="template"),
    ]
