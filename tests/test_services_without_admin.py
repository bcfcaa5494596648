"""A script can do everything the admin does, under the same rules: the services run without the admin.

tests/scripted/run_services.py runs in a process of its own with settings that leave django.contrib.admin
out (tests/scripted/settings.py) and a URLconf without it: it opens and publishes an edition, takes a pilot
item through submission, return and approval, qualifies a provider, saves a purchasing body, opens an edition
draft, adds, changes and deletes items, saves and deletes a pilot draft, changes reference data, records a
contract and publishes its evaluation, checking at each step that the wrong role (or a frozen record) is
refused, and that nothing under catalogue/admin was imported.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_services_run_and_refuse_the_wrong_roles_without_the_admin(tmp_path):
    env = {**os.environ, "DJANGO_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.scripted.run_services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "ok"
