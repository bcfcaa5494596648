"""Fill an empty database with realistic data at scale: `manage.py seed_scale --items 100000`.

For the site benchmark (`make bench`) and load tests: editions of about 2,000 items over the
regions and years, published, corrected and withdrawn through the services, with purchasing
bodies, qualified providers, contracts and evaluations in proportion. catalogue/bench/scale.py
describes the shape. The regions and categories must be loaded first; a database that already
holds editions is refused.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.bench.scale import ScaleBuilder


class Command(BaseCommand):
    help = "Fill an empty database with N realistic catalogue items and everything around them, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=100_000, help="items in the big editions (default 100,000)")
        parser.add_argument("--seed", type=int, default=2015, help="random seed: the same seed gives the same data")
        parser.add_argument("--urls-out", help="write the public URLs the benchmark measures to this JSON file")

    def handle(self, *args, **options):
        if options["items"] < 100:
            raise CommandError("--items must be at least 100.")
        started = time.perf_counter()
        builder = ScaleBuilder(options["items"], seed=options["seed"], log=self.stdout.write)
        try:
            builder.run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        urls = builder.urls()
        hits = builder.search_hits()
        self.stdout.write("search hits among the items in force: " + ", ".join(f"{q} {n}" for q, n in hits.items()))
        if options["urls_out"]:
            Path(options["urls_out"]).write_text(
                json.dumps(
                    {"items": options["items"], "pages": urls, "search_hits": hits}, ensure_ascii=False, indent=2
                ),
                encoding="utf-8",
            )
            self.stdout.write(f"URLs written to {options['urls_out']}")
        self.stdout.write(self.style.SUCCESS(f"seed_scale finished in {time.perf_counter() - started:.1f} s"))
