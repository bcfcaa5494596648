"""Settings for the site benchmark (`make bench`): production's, plus two URLs only the benchmark mounts.

Everything else — DEBUG off, whitenoise's manifest storage, the public page cache, PostgreSQL from
DATABASE_URL — is exactly production's (base.py), so the figures are what production would see.
"""

from procurement.settings.base import *  # noqa: F403

ROOT_URLCONF = "procurement.bench_urls"
