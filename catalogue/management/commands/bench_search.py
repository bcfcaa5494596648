"""Measure Chinese search on PostgreSQL: `manage.py bench_search --rows 100000`.

Builds a throw-away database (named like a test database, created and
migrated by Django's test machinery, dropped at the end whatever happens),
fills it with realistic catalogue-like items, ANALYZEs, and prints for each
query the hit count and the median time of

  * bigram ms  – catalogue.search.search_items(): the GIN-indexed query, counted
                 (what the search page's paginator runs);
  * top20 ms   – the same ranked, first page of 20 (the page's second query);
  * icont ms   – a sequential icontains scan over name, content and category
                 names (count), and whether it found exactly the same rows;
  * trgm ms    – for 3+ characters, pg_trgm's gin_trgm_ops index on name alone,
                 beside a sequential LIKE on name, which it must equal
                 (skip with --no-trgm; the extension lives only in the
                 throw-away database).

and the EXPLAIN (ANALYZE, BUFFERS) plan of one query. It refuses to run on SQLite.
"""

import random
import statistics
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalogue import search
from catalogue.models.search_index import bigram_document

QUERIES = ["养", "运维", "养老", "家养", "服务", "培训", "居家养老", "残疾人", "法律服务", "信息系统运维", "2131"]

# Realistic material: the category tree's own names plus the phrases
# catalogues of other cities use for scope, objects and manner of service.
SUBJECTS = [
    "社区", "农村", "城区", "乡镇", "街道", "辖区", "全市", "县域", "村级", "重点人群",
    "老年人", "残疾人", "留守儿童", "困难群众", "高校毕业生", "农村劳动力", "退役军人", "特困人员", "妇女儿童", "流动人口",
]
ACTIONS = [
    "居家养老服务", "助餐助浴", "生活照料", "康复训练", "技能培训", "创业培训", "法律援助", "法律服务", "心理疏导",
    "健康筛查", "健康教育", "信息系统运维", "信息采集", "课题研究", "规划编制", "项目评审", "绩效评价", "会计审计",
    "出版印刷", "检验检测", "软件研发", "物业管理", "公车租赁", "会议服务", "文化演出", "电影放映", "体育设施运营",
    "图书馆延伸服务", "非遗保护传承", "课后托管", "学前教育", "走访核查", "救助评估", "资格审核", "公租房运营管理",
    "家庭医生签约", "无障碍改造评估", "辅助器具适配", "就业指导", "招聘活动",
]
TAILS = ["服务", "项目", "工作", "辅助性工作", "购买服务", "试点", "委托管理", "运营", "（第二批）", "专项"]
CONTENT_PHRASES = [
    "为辖区{subject}提供{action}", "按照国家和省有关标准组织实施{action}", "每年不少于{n}人次",
    "承接主体须配备专业技术人员不少于{k}名", "服务期限一年，可按绩效评价结果续签", "建立服务台账并按季度报送",
    "接受购买主体和服务对象的监督评价", "服务对象满意度不低于{p}%", "项目编号{code}",
    "覆盖全部{subject}", "与{action}相关的组织协调和宣传工作", "年度预算按实际服务量据实结算",
]


def realistic_items(rng, rows, leaves):
    """(name, content, leaf) triples that read like catalogue rows."""
    for i in range(rows):
        leaf = rng.choice(leaves)
        subject = rng.choice(SUBJECTS)
        action = rng.choice(ACTIONS) if rng.random() < 0.6 else leaf.name
        name = f"{subject}{action}{rng.choice(TAILS)}"[:200]
        parts = rng.sample(CONTENT_PHRASES, rng.randint(2, 5))
        content = "，".join(
            part.format(
                subject=rng.choice(SUBJECTS),
                action=rng.choice(ACTIONS),
                n=rng.randint(50, 5000),
                k=rng.randint(2, 30),
                p=rng.randint(80, 98),
                code=rng.randint(1000, 99999),
            )
            for part in parts
        )
        yield name, content + "。", leaf


class Command(BaseCommand):
    help = "Benchmark the bigram search on PostgreSQL against icontains (and pg_trgm) in a throw-away database."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=7, help="timed runs per query; the median is printed")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--no-trgm", dest="trgm", action="store_false", help="skip the pg_trgm comparison")
        parser.add_argument("--explain", default="养老", help="the query whose plan is printed")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_search measures the PostgreSQL index; set DATABASE_URL=postgres://… (SQLite uses icontains).")
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        bench_name = f"test_bench_search_{old_name}"
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"] = {**connection.settings_dict["TEST"], "NAME": bench_name}
        self.stdout.write(f"creating throw-away database {bench_name} …")
        try:
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            self.run_bench(options)
        finally:
            # Drop it whatever happened, even when migrating failed half way.
            connection.close()
            connection.settings_dict["NAME"] = old_name
            settings.DATABASES[connection.alias]["NAME"] = old_name
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(bench_name)}")
            self.stdout.write(f"dropped {bench_name}")

    # -- building -----------------------------------------------------------

    def build(self, rows, seed):
        from django.core.management import call_command

        from catalogue.models import Catalogue, CatalogueItem, Region, ServiceCategory

        call_command("loaddata", "fixtures/regions.json", "fixtures/categories.json", verbosity=0)
        rng = random.Random(seed)
        leaves = list(ServiceCategory.objects.leaves().select_related("parent__parent"))
        paths = {leaf.pk: " ".join(node.name for node in leaf.ancestors()) for leaf in leaves}
        regions = list(Region.objects.all())
        years = list(range(2015, 2015 + max(1, rows // (len(regions) * 1000))))
        editions = []
        for region in regions:
            for year in years:
                # The newest year of each region is a draft: its items must never be searchable.
                draft = year == years[-1] and len(years) > 1
                editions.append(
                    Catalogue.objects.create(
                        region=region,
                        year=year,
                        title=Catalogue.default_title(region, year),
                        status=Catalogue.Status.DRAFT if draft else Catalogue.Status.PUBLISHED,
                        document_number="" if draft else f"咸财综发〔{year}〕{region.order}号",
                        published_on=None if draft else date(year, 3, 1),
                    )
                )
        batch = []
        seq = {}
        started = time.perf_counter()
        for n, (name, content, leaf) in enumerate(realistic_items(rng, rows, leaves)):
            edition = editions[n % len(editions)]
            key = (edition.pk, leaf.pk)
            seq[key] = seq.get(key, 0) + 1
            document = bigram_document([(name, "A"), (paths[leaf.pk], "B"), (content, "D")])
            batch.append(
                CatalogueItem(
                    edition=edition,
                    category=leaf,
                    code=f"{leaf.code}-{seq[key]:02d}",
                    name=name,
                    content=content,
                    budget=rng.choice([None, rng.randint(5, 500) * 10000]),
                    is_pilot=rng.random() < 0.2,
                    search_document=document,
                )
            )
            if len(batch) == 5000:
                CatalogueItem.objects.bulk_create(batch)
                batch = []
        CatalogueItem.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{rows} items in {len(editions)} editions ({len(regions)} regions × {len(years)} years) "
            f"built in {time.perf_counter() - started:.1f} s; ANALYZEd"
        )

    # -- timing ---------------------------------------------------------------

    def timed(self, sql, params, repeat):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)  # warm the cache and the plan
            result = cursor.fetchall()
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
        return result, statistics.median(times)

    def count_sql(self, queryset):
        """What the paginator's count runs."""
        sql, params = queryset.values("pk").query.sql_with_params()
        return f"SELECT count(*) FROM ({sql}) AS hits", params

    def page_sql(self, queryset):
        """What the search page runs for its first page of 20 (see catalogue/views/search.py)."""
        page = queryset.select_related("edition__region", "category__parent__parent").defer("search_document")[:20]
        return page.query.sql_with_params()

    def timed_name_like(self, query, repeat, use_index):
        """Items in force whose name contains query: by the pg_trgm index, or by a sequential scan."""
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = (
            "SELECT count(*) FROM catalogue_catalogueitem i JOIN catalogue_catalogue c ON c.id = i.edition_id "
            "WHERE c.status = 'PUBLISHED' AND i.name LIKE %s"
        )
        with connection.cursor() as cursor:
            if not use_index:
                cursor.execute("SET enable_bitmapscan = off; SET enable_indexscan = off")
            try:
                result, ms = self.timed(sql, [like], repeat)
            finally:
                cursor.execute("RESET enable_bitmapscan; RESET enable_indexscan")
        return result[0][0], ms

    def run_bench(self, options):
        from catalogue.models import CatalogueItem

        self.build(options["rows"], options["seed"])
        repeat = options["repeat"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                "WHERE datname = current_database()"
            )
            encoding, collate, ctype = cursor.fetchone()
            cursor.execute("SELECT pg_size_pretty(pg_relation_size('catalogue_item_search_gin')), "
                           "pg_size_pretty(pg_total_relation_size('catalogue_catalogueitem'))")
            index_size, table_size = cursor.fetchone()
        self.stdout.write(f"database encoding {encoding}, collate {collate}, ctype {ctype}; "
                          f"bigram GIN index {index_size}, table with indexes {table_size}")

        current = CatalogueItem.objects.current()
        trgm = options["trgm"]
        if trgm:
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                started = time.perf_counter()
                cursor.execute(
                    "CREATE INDEX bench_item_name_trgm ON catalogue_catalogueitem USING gin (name gin_trgm_ops)"
                )
                built = time.perf_counter() - started
                cursor.execute("ANALYZE catalogue_catalogueitem")
                cursor.execute("SELECT pg_size_pretty(pg_relation_size('bench_item_name_trgm'))")
                self.stdout.write(f"pg_trgm GIN index on name: {cursor.fetchone()[0]}, built in {built:.1f} s")

        header = (f"{'query':<14}{'len':>4}{'hits':>8}{'bigram ms':>11}{'top20 ms':>10}"
                  f"{'icontains':>10}{'icont ms':>10}{'same':>6}")
        if trgm:
            header += f"{'name hits':>10}{'trgm ms':>9}{'name seq ms':>13}{'same':>6}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for query in QUERIES:
            found, terms = search.search_items(current, query)
            result, bigram_ms = self.timed(*self.count_sql(found), repeat)
            hits = result[0][0]
            _, page_ms = self.timed(*self.page_sql(found), repeat)

            plain = current.filter(search.substring_condition(terms))
            result, icontains_ms = self.timed(*self.count_sql(plain), repeat)
            same = set(plain.values_list("pk", flat=True)) == set(found.values_list("pk", flat=True))
            line = (f"{query:<14}{len(query):>4}{hits:>8}{bigram_ms:>11.1f}{page_ms:>10.1f}"
                    f"{result[0][0]:>10}{icontains_ms:>10.1f}{'yes' if same else 'NO':>6}")
            if trgm and len(query) >= 3:
                name_hits, trgm_ms = self.timed_name_like(query, repeat, use_index=True)
                name_plain, name_ms = self.timed_name_like(query, repeat, use_index=False)
                line += f"{name_hits:>10}{trgm_ms:>9.1f}{name_ms:>13.1f}{'yes' if name_hits == name_plain else 'NO':>6}"
            elif trgm:
                line += f"{'—':>10}{'—':>9}{'—':>13}{'':>6}"
            self.stdout.write(line)

        found, _ = search.search_items(current, options["explain"])
        sql, params = self.page_sql(found)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.stdout.write(f"\nEXPLAIN ANALYZE of the search page's first page of 20 for {options['explain']!r}:\n{plan}")
        if trgm:
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX bench_item_name_trgm")
