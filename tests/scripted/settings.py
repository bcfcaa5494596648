"""The test settings without Django's admin: what a script (a cron job, a data fix, another tool) runs with.

tests/test_services_without_admin.py runs the services under these settings in a process of its own, to
show that every rule a service enforces lives in the service (or below it), never in the admin.
"""

from procurement.settings.test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django.contrib.admin"]  # noqa: F405
ROOT_URLCONF = "tests.scripted.urls"
DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}  # noqa: F405
