"""The site benchmark: `manage.py bench_site --items 100000` (what `make bench` runs).

Builds a throw-away PostgreSQL database of N items with seed_scale, serves it with gunicorn and the
production settings on loopback, loads every public page family with wrk, prints the table, writes
var/bench/latest.json and drops the database (catalogue/bench/site.py says how).
"""

import os
import subprocess

from django.core.management.base import BaseCommand, CommandError

from catalogue.bench.site import DEFAULT_SERVER, BenchSite


class Command(BaseCommand):
    help = "Measure every public page under load (wrk) on a throw-away PostgreSQL database of N items."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=int(os.environ.get("ITEMS", 100_000)))
        parser.add_argument(
            "--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 8)), help="wrk's duration per page"
        )
        parser.add_argument(
            "--database-url",
            default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
            help="the PostgreSQL server to create the throw-away database on (its database is only connected to)",
        )

    def handle(self, *args, **options):
        if not options["database_url"].startswith(("postgres://", "postgresql://")):
            raise CommandError("bench_site needs a PostgreSQL server: set DATABASE_URL=postgres://…")
        bench = BenchSite(
            items=options["items"], seconds=options["seconds"], server_url=options["database_url"], out=self.stdout
        )
        try:
            bench.run()
        except KeyboardInterrupt:
            raise CommandError("interrupted; gunicorn stopped and the database dropped") from None
        except subprocess.CalledProcessError as error:
            step = " ".join(str(part) for part in error.cmd[1:])
            raise CommandError(f"{step} failed ({error.returncode}); the database was dropped") from None
        except RuntimeError as error:
            raise CommandError(str(error)) from error
