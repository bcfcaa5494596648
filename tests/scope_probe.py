"""The probe both scope matrices use: one route against one record outside the user's scope,
counted, refused (or not showing the record), and the database unchanged afterwards."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.staff_builders import admin_url, operation_url

ROLES = ["shicaizheng", "xianan", "chibi", "minzheng"]


def refused(response, what):
    assert response.status_code in (403, 404), f"{what}: answered {response.status_code}"


class Attempts:
    """`counter` counts the attempts by route, `snapshot()` fingerprints what the admin could write,
    `describe(obj)` is the text that must not appear where the record is refused."""

    # A changelist that itself answers 403 counts as refused unless the matrix says it must list.
    changelist_must_answer = False

    def __init__(self, client, username, *, counter, snapshot, describe):
        self.client, self.username = client, username
        self.counter, self.snapshot, self.describe = counter, snapshot, describe

    def run(self, route, obj, request):
        self.counter[route] += 1
        before = self.snapshot()
        response = request()
        assert self.snapshot() == before, f"{self.username} {route} {obj!r}: the database changed"
        return response

    def leaks_nothing(self, response, obj, what):
        """A redirect, a refusal, or a page / spreadsheet that does not hold the record."""
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            sheet = load_workbook(io.BytesIO(response.getvalue())).active
            cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
            assert not any(self.describe(obj) in cell for cell in cells), f"{what}: exported"
        elif response.status_code == 200:
            assert self.describe(obj) not in response.getvalue().decode(), f"{what}: shown"
        else:
            assert response.status_code in (302, 403, 404), what

    def changelist(self, obj):
        response = self.run("changelist", obj, lambda: self.client.get(admin_url(type(obj), "changelist")))
        if response.status_code == 200 or self.changelist_must_answer:
            assert response.status_code == 200
            shown = {row.pk for row in response.context["cl"].result_list}
            assert obj.pk not in shown, f"{self.username} sees {obj!r} in the changelist"
            assert self.describe(obj) not in response.getvalue().decode()
        else:
            refused(response, f"{self.username} changelist of {type(obj).__name__}")

    def change(self, obj, payload):
        url = admin_url(type(obj), "change", obj.pk)
        refused(self.run("change GET", obj, lambda: self.client.get(url)), f"{self.username} GET {url}")
        refused(self.run("change POST", obj, lambda: self.client.post(url, payload)), f"{self.username} POST {url}")

    def delete(self, obj):
        url = admin_url(type(obj), "delete", obj.pk)
        refused(self.run("delete GET", obj, lambda: self.client.get(url)), f"{self.username} GET {url}")
        refused(self.run("delete POST", obj, lambda: self.client.post(url, {"post": "yes"})), f"{self.username} POST {url}")
        assert type(obj)._default_manager.filter(pk=obj.pk).exists()

    def history(self, obj):
        url = admin_url(type(obj), "history", obj.pk)
        refused(self.run("history", obj, lambda: self.client.get(url)), f"{self.username} GET {url}")

    def history_version(self, obj):
        version = obj.history.latest("history_date").history_id
        url = admin_url(type(obj), "simple_history", obj.pk, version)
        refused(self.run("history version GET", obj, lambda: self.client.get(url)), f"{self.username} GET {url}")
        refused(self.run("history version POST", obj, lambda: self.client.post(url, {"_save": "1"})), f"{self.username} POST {url}")

    def autocomplete(self, obj, model_name, field_name, term):
        params = {"app_label": "catalogue", "model_name": model_name, "field_name": field_name, "term": term}
        response = self.run(
            f"autocomplete {model_name}.{field_name}", obj, lambda: self.client.get(reverse("admin:autocomplete"), params)
        )
        if response.status_code == 200:
            offered = {int(result["id"]) for result in response.json()["results"]}
            assert obj.pk not in offered, f"{self.username} is offered {obj!r} by {model_name}.{field_name}"
        else:
            refused(response, f"{self.username} autocomplete {model_name}.{field_name}")

    def bulk(self, obj, action, **data):
        payload = {"action": action, "_selected_action": [obj.pk], "post": "yes", "apply": "1", **data}
        response = self.run(f"bulk {action}", obj, lambda: self.client.post(admin_url(type(obj), "changelist"), payload))
        self.leaks_nothing(response, obj, f"{self.username} {action} on {obj!r}")
        assert type(obj)._default_manager.filter(pk=obj.pk).exists()

    def operation(self, obj, name, **data):
        url = operation_url(obj, name)
        refused(self.run(f"{name} GET", obj, lambda: self.client.get(url)), f"{self.username} GET {url}")
        refused(self.run(f"{name} POST", obj, lambda: self.client.post(url, data)), f"{self.username} POST {url}")


def common_routes(probe, obj, payload):
    """The routes every scoped model has; the per-version history only where the model keeps history."""
    probe.changelist(obj)
    probe.change(obj, payload)
    probe.delete(obj)
    probe.history(obj)
    if hasattr(type(obj), "history"):
        probe.history_version(obj)
    probe.bulk(obj, "delete_selected")
    probe.bulk(obj, "export_selected_xlsx")
