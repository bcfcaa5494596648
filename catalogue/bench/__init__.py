"""The site benchmark: seed_scale's data builder (scale.py), the wrk runner and its parser (wrk.py), and the
orchestrator `make bench` runs (site.py, through `manage.py bench_site`). Nothing here is imported by the site."""
