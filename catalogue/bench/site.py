"""The site benchmark `make bench` runs (`manage.py bench_site`): every public page family under load.

1. creates a database bench_<pid> on the PostgreSQL server of DATABASE_URL;
2. migrates it, loads the real regions and categories and runs seed_scale (N items) in it, and
   collects the static files into a temporary STATIC_ROOT, each in a subprocess with the
   production settings (procurement.settings.bench: base.py plus the benchmark's two URLs);
3. starts gunicorn with the committed config (procurement/gunicorn.conf.py) on a free loopback
   port, its output in var/bench/gunicorn-<date>.log;
4. loads the floor view (no database, no template) with wrk, then each page for BENCH_SECONDS,
   then the floor again; after each page, times one uncached request three times (the public
   cache emptied through /__bench__/invalidate/ before each) and keeps the median;
5. prints the table and writes var/bench/latest.json;
6. whatever happened (an error, Ctrl-C, SIGTERM), stops gunicorn and drops the database.
"""

import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings

from . import wrk

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
COLD_REPEATS = 3
FLOOR = "/__bench__/floor/"
INVALIDATE = "/__bench__/invalidate/"


class BenchSite:
    def __init__(self, *, items, seconds, server_url=None, out=sys.stdout):
        self.items = items
        self.seconds = seconds
        self.server_url = server_url or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
        self.out = out
        self.base_dir = Path(settings.BASE_DIR)
        self.results_dir = Path(settings.VAR_DIR) / "bench"
        self.database = f"bench_{os.getpid()}"
        self.gunicorn = None
        self.created = False

    def say(self, message=""):
        self.out.write(message + "\n")
        self.out.flush()

    # The throw-away database ----------------------------------------------------------------------

    def database_url(self, name):
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def admin(self, sql):
        """Run one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run in a transaction)."""
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone() if cursor.description else None

    def create_database(self):
        self.admin(f'CREATE DATABASE "{self.database}" ENCODING \'UTF8\' TEMPLATE template0')
        self.created = True
        self.say(f"created database {self.database}")

    def drop_database(self):
        if not self.created:
            return
        try:
            self.admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.say(f"dropped database {self.database}")
        except psycopg.Error as error:
            self.say(f"could not drop database {self.database}: {error}; drop it by hand")

    # Subprocesses ---------------------------------------------------------------------------------

    def environment(self, scratch, port):
        return {
            **os.environ,
            "DATABASE_URL": self.database_url(self.database),
            "DJANGO_SETTINGS_MODULE": "procurement.settings.bench",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Publication files, uploads and collected static files go to the scratch folder, never the checkout's var/.
            "DJANGO_VAR_DIR": str(scratch / "var"),
            "DJANGO_STATIC_ROOT": str(scratch / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, env, *args):
        started = time.perf_counter()
        self.say(f"$ manage.py {' '.join(args)}")
        subprocess.run([sys.executable, "manage.py", *args], cwd=self.base_dir, env=env, check=True)
        return time.perf_counter() - started

    def start_gunicorn(self, env, log_path, scratch):
        command = [sys.executable, "-m", "gunicorn", "-c", "procurement/gunicorn.conf.py"]
        if gunicorn_version() >= (27,):
            # Its control socket defaults to one path per user: keep ours apart from any other gunicorn's.
            command += ["--control-socket", str(scratch / "gunicorn.ctl")]
        command.append("procurement.wsgi")
        self.log_file = open(log_path, "ab")  # noqa: SIM115 (closed in stop_gunicorn)
        self.gunicorn = subprocess.Popen(
            command,
            cwd=self.base_dir,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )

    def stop_gunicorn(self):
        if self.gunicorn is None:
            return
        if self.gunicorn.poll() is None:
            self.gunicorn.terminate()
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait()
        self.log_file.close()
        self.say("gunicorn stopped")
        self.gunicorn = None

    # HTTP -----------------------------------------------------------------------------------------

    def request(self, method, path, timeout=120):
        """(status, milliseconds, body length) of one request on a new connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read()
            return response.status, (time.perf_counter() - started) * 1000, len(body)
        finally:
            connection.close()

    def wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.gunicorn.returncode}; see {self.log_path}")
            try:
                if self.request("GET", FLOOR, timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def cold_ms(self, path):
        """Median time of one uncached request: the public cache emptied before each of COLD_REPEATS."""
        times = []
        for _ in range(COLD_REPEATS):
            self.request("POST", INVALIDATE)
            status, ms, _size = self.request("GET", path)
            if status != 200:
                self.say(f"  ! uncached GET {path} answered {status}")
            times.append(ms)
        return statistics.median(times)

    # The measurement ------------------------------------------------------------------------------

    def machine(self):
        cpu = platform.processor() or platform.machine()
        memory = ""
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
        except OSError:
            pass
        version = self.admin("SHOW server_version")[0]
        workers = int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) * 2 + 1))
        return {
            "cpu": cpu,
            "cores": os.cpu_count(),
            "memory": memory,
            "python": platform.python_version(),
            "postgresql": version,
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
            # Other processes on the machine make every figure noisy: the load when the run began says how busy it was.
            "load_average": self.load_before,
            "gunicorn_workers": workers,
            "load": " ".join(wrk.command("URL", self.seconds)[:-1]),
        }

    def load(self, path):
        result, _output = wrk.run(f"http://127.0.0.1:{self.port}{path}", self.seconds)
        return result

    def measure(self, pages):
        for name, path in pages.items():
            status, ms, size = self.request("GET", path)
            note = "" if status == 200 else "  ! expected 200"
            self.say(f"  first GET {name:<24} {status} {ms:9.1f} ms {size:>10} bytes{note}")
        floor_before = self.load(FLOOR)
        self.say(f"  floor before: {floor_before.rps:.0f} requests/s")
        rows = {}
        for name, path in pages.items():
            result = self.load(path)
            cold = self.cold_ms(path)
            rows[name] = (result, cold)
            self.say(
                f"  {name:<24} {result.rps:9.1f} req/s  p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms  "
                f"errors {result.errors}  uncached {cold:.1f} ms"
            )
        floor_after = self.load(FLOOR)
        self.say(f"  floor after: {floor_after.rps:.0f} requests/s")
        floor_cold = self.cold_ms(FLOOR)
        # The floor is the mean of the two runs: the machine may warm up or slow down in between.
        floor_rps = (floor_before.rps + floor_after.rps) / 2
        floor = wrk.WrkResult(
            rps=floor_rps,
            p50_ms=(floor_before.p50_ms + floor_after.p50_ms) / 2,
            p99_ms=(floor_before.p99_ms + floor_after.p99_ms) / 2,
            requests=floor_before.requests + floor_after.requests,
            non_2xx_3xx=floor_before.non_2xx_3xx + floor_after.non_2xx_3xx,
            socket_errors=floor_before.socket_errors + floor_after.socket_errors,
        )
        table = {"floor": (floor, floor_cold), **rows}
        return (
            {
                name: {
                    "rps": round(result.rps, 1),
                    "p50_ms": round(result.p50_ms, 2),
                    "p99_ms": round(result.p99_ms, 2),
                    "errors": result.errors,
                    "ratio_to_floor": round(result.rps / floor_rps, 4) if floor_rps else None,
                    "cold_ms": round(cold, 1),
                }
                for name, (result, cold) in table.items()
            },
            (floor_before.rps, floor_after.rps),
        )

    def run(self):
        if shutil.which("wrk") is None:
            raise RuntimeError("wrk is not installed: run 'sudo apt-get install wrk' (make bench does it when root)")
        started = time.perf_counter()
        previous = signal.signal(signal.SIGTERM, _interrupt)
        scratch = Path(tempfile.mkdtemp(prefix="bench-site-"))
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.log_path = self.results_dir / f"gunicorn-{datetime.now():%Y%m%d-%H%M%S}.log"
        self.load_before = round(os.getloadavg()[0], 2)
        if self.load_before > (os.cpu_count() or 1) / 2:
            self.say(f"! load average {self.load_before}: other processes are busy, the figures will be noisy")
        try:
            self.create_database()
            env = self.environment(scratch, self.port)
            urls_file = scratch / "urls.json"
            self.manage(env, "migrate", "--noinput", "-v0")
            self.manage(env, "loaddata", "fixtures/regions.json", "fixtures/categories.json", "-v0")
            seed_seconds = self.manage(env, "seed_scale", "--items", str(self.items), "--urls-out", str(urls_file))
            self.manage(env, "collectstatic", "--noinput", "-v0")
            pages = json.loads(urls_file.read_text(encoding="utf-8"))["pages"]
            self.start_gunicorn(env, self.log_path, scratch)
            self.wait_until_ready()
            self.say(f"gunicorn on 127.0.0.1:{self.port} (log: {self.log_path}); {self.seconds} s of wrk per page")
            machine = self.machine()
            figures, (floor_before, floor_after) = self.measure(pages)
            report = {"machine": machine, "items": self.items, "pages": figures}
            latest = self.results_dir / "latest.json"
            latest.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.say()
            self.say(format_table(report))
            self.say(
                f"floor: mean of {floor_before:.0f} (before the pages) and {floor_after:.0f} (after) requests/s; "
                f"seed_scale took {seed_seconds:.0f} s; whole run {time.perf_counter() - started:.0f} s"
            )
            self.say(f"written to {latest}")
            failing = [name for name, row in figures.items() if row["errors"]]
            if failing:
                self.say(f"! pages with errors under load: {', '.join(failing)}; see {self.log_path}")
            return report
        finally:
            self.stop_gunicorn()
            self.drop_database()
            shutil.rmtree(scratch, ignore_errors=True)
            signal.signal(signal.SIGTERM, previous)


def format_table(report):
    """The aligned table of a report (also what the README shows)."""
    machine = report["machine"]
    lines = [
        f"{report['items']:,} items · {machine['cpu']}, {machine['cores']} cores, {machine['memory']} · "
        f"Python {machine['python']} · PostgreSQL {machine['postgresql']} · {machine['date']} · "
        f"load {machine.get('load_average', '?')} · {machine.get('gunicorn_workers', '?')} gunicorn workers · "
        f"{machine.get('load', '')}",
        f"{'page':<24}{'rps':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'×floor':>9}{'cold ms':>10}",
    ]
    for name, row in report["pages"].items():
        lines.append(
            f"{name:<24}{row['rps']:>10.1f}{row['p50_ms']:>10.1f}{row['p99_ms']:>10.1f}{row['errors']:>8}"
            f"{row['ratio_to_floor']:>9.3f}{row['cold_ms']:>10.1f}"
        )
    return "\n".join(lines)


def gunicorn_version():
    import gunicorn

    return tuple(gunicorn.version_info)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")
