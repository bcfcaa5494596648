"""Layers point one way: the models know nothing of the public search, the admin, the views or admin URLs.

Saving an item builds its search index (catalogue/models/search_index.py) without importing the public
site's query code, and no model reverses an admin URL name: where a link to the admin is needed, the admin
builds it (catalogue/admin/qualifications.py's evidence_url).
"""

import ast
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parent.parent / "catalogue" / "models"
FORBIDDEN = ("catalogue.search", "catalogue.admin", "catalogue.views", "catalogue.urls", "catalogue.filters")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda path: path.name)
def test_a_model_module_imports_no_search_admin_or_view_code(path):
    wrong = [name for name in _imports(path) if name.startswith(FORBIDDEN)]
    assert wrong == [], f"{path.name} imports {wrong}"


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda path: path.name)
def test_a_model_module_reverses_no_admin_url(path):
    assert '"admin:' not in path.read_text(encoding="utf-8"), f"{path.name} names an admin URL"


CODE = Path(__file__).resolve().parent.parent


def test_the_import_pages_are_the_edition_admins_own_urls():
    from django.urls import resolve

    match = resolve("/admin/catalogue/catalogue/1/import/")
    assert match.namespaces == ["admin", "catalogue_import"]
    assert match.url_name == "upload"


def test_only_the_fail_closed_check_reads_the_admin_registry():
    readers = [
        str(path.relative_to(CODE))
        for package in ("catalogue", "procurement", "logins")
        for path in (CODE / package).rglob("*.py")
        if "._registry" in path.read_text(encoding="utf-8")
    ]
    assert readers == ["catalogue/admin/checks.py"]
