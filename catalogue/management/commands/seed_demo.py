"""Build the demo: bodies, providers, editions in every state, ~400 items and the demo accounts.

For demos only (`make run`): it refuses to run with DEBUG off, because it
creates accounts with a published password (DOMAIN.md §11). Running it again
changes nothing; see catalogue/demo/builder.py for how, and catalogue/demo/
for the data.

Console output is bilingual (Chinese, then English) rather than translated:
it is read in a terminal by whoever runs `make run`, in either language.
"""

import os
import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalogue.demo import accounts
from catalogue.demo.builder import DemoBuilder, summary_counts
from catalogue.models import Catalogue

REFUSAL = (
    "seed_demo 仅用于演示：它会创建公开密码的演示账号，DEBUG 关闭（生产环境）时拒绝运行。请用 make run 或设置 DJANGO_DEBUG=1。\n"
    "seed_demo is for demos only: it creates accounts with a published password, so it refuses to run "
    "when DEBUG is off (production). Use `make run` or set DJANGO_DEBUG=1."
)


class Command(BaseCommand):
    help = "生成演示数据（仅用于演示，DEBUG 开启时才能运行）/ Build the demo data (demos only; needs DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        started = time.monotonic()
        builder = DemoBuilder(warn=lambda message: self.stderr.write(self.style.WARNING(message)))
        with transaction.atomic():
            stats = builder.run()
        elapsed = time.monotonic() - started
        self.write_summary(stats, summary_counts(), elapsed)

    def write_summary(self, stats, counts, elapsed):
        created = sum(n for (_, action), n in stats.items() if action == "created")
        updated = sum(n for (_, action), n in stats.items() if action in ("updated", "deleted"))
        by_status = counts["editions_by_status"]
        status_text = "，".join(
            f"{status.label} {status.value.lower()} {by_status[status]}" for status in Catalogue.Status
        )
        write = self.stdout.write
        write(self.style.SUCCESS(f"演示数据已就绪 / Demo data ready ({elapsed:.1f} s)"))
        write(f"  本次新建 created {created}，更新 updated {updated}")
        write(f"  行政区划 regions: {counts['regions']}    服务类别 categories: {counts['categories']}")
        write(f"  购买主体 purchasing bodies: {counts['bodies']}")
        write(f"  承接主体 providers: {counts['providers']}（已认定且在有效期内 qualified: {counts['qualified_providers']}）")
        write(f"  指导性目录 editions: {counts['editions']}（{status_text}）")
        write(f"  目录事项 items: {counts['items']}（现行目录 in force: {counts['current_items']}）")
        write("")
        write(self.style.SUCCESS(f"演示账号 / Demo logins — 密码 password: {accounts.DEMO_PASSWORD}（仅供演示 demo only）"))
        rows = [("用户名 username", "角色 role", "范围 scope")]
        rows += [(user.username, user.role_label, user.scope_label) for user in accounts.USERS]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            write("  " + "  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip())
        port = os.environ.get("PORT", "8000")
        write(f"  后台 admin: http://127.0.0.1:{port}/admin/    公开目录 public site: http://127.0.0.1:{port}/")


def _width(text):
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))
