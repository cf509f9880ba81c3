"""The county-scale benchmark: generate the dataset, measure, print one table (`make bench`).

Usage: `.venv/bin/python -m bench.run [--repeat 5] [--keep] [--reuse] [--scale 1.0] [--skip ...]`
(`--help` lists every option).

- Database: `BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/miaoba_bench; never
  `DATABASE_URL`), PostgreSQL, its name containing "bench". The database is dropped and
  created anew, migrated and filled by `bench.generate` (about 1.3 million rows), and dropped
  again at the end unless `--keep`.
  `--reuse` keeps a database a previous `--keep` run filled (migrations are still applied).
- Settings are production-like: DEBUG off, static files collected to a temporary folder and
  served by whitenoise, persistent connections. Only 127.0.0.1 is contacted.
- Each figure is the median of `--repeat` timed runs after one warm-up run (which also counts
  the queries; each list page is requested once before, as a process's caches are filled by
  its first request). Times are server times in seconds: Django's test client, from the request to
  the rendered response, in this process.

Measured against the goals of issue 13 (and issue 12 for the import), each beside a fair
baseline where there is one (see README, "Performance"):
- each list page (first page, a filtered page, the last page) against Django admin's changelist
  of the same model with the same filter and the same filter sidebar (`bench.admin`, mounted by
  `bench.urls` only);
- the dashboard of a past year and of 2016 to that year: its first view (figures computed, as
  after any write) against the grouped SQL giving the same figures (`bench.figures_sql`, checked
  figure by figure against the page's), and once viewed;
- the annual report of a past year (draft) as HTML and as .docx, once viewed and first view;
- importing a 10,000-row petition ledger (xlsx) through `LEDGERS["petitions"].import_file`, in
  a child process (so its peak RSS is the import's), rolled back afterwards;
- the load test against gunicorn (3 workers) on 127.0.0.1: 20 users with 2–5 s think time
  (`_users`: each opens its connection when it has done thinking, as a browser behind nginx
  does; p95, errors), then saturation without think time (wrk: requests a second), and CPU
  milliseconds a request (gunicorn's and the database backends' CPU time, from /proc) for each
  page and over the page mix.

The result table is printed and written to `$BENCH_OUT` (default /tmp/miaoba-bench/result.md),
with the SQL of each page and EXPLAIN ANALYZE of the slowest queries beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/miaoba_bench"
OUT = Path(os.environ.get("BENCH_OUT", Path(tempfile.gettempdir()) / "miaoba-bench"))
IMPORT_ROWS = 10_000
IMPORT_USER = "clerk01"  # 庙坝镇's clerk; the file's rows are all 庙坝镇信访办's
PAST_YEAR = 2025  # the last year of the generated data: a past year
# The load test's page mix, in turn.
LOAD_PATHS = [
    "/disputes/petitions/",
    "/disputes/cases/",
    "/docs/documents/",
    "/docs/reviews/",
    "/tasks/",
    "/reports/records/",
    f"/reports/dashboard/?year={PAST_YEAR}",
]
# Goals (issue 13 "Goals", issue 12 item 7).
LIST_QUERIES = 9
DASHBOARD_QUERIES = 21
DASHBOARD_RATIO = 1.5  # first view against the grouped SQL giving its figures
DASHBOARD_VIEWED = 0.3  # seconds, a past year once viewed
REPORT_SECONDS = 0.5  # HTML and .docx each, a past year's draft
CPU_MS = 55  # CPU per request over the page mix (server and database)
P95_SECONDS = 0.5  # 20 users with think time
IMPORT_RATE = 500  # rows a second
IMPORT_MB = 300  # peak memory of the importing process


def _environment() -> None:
    """Production-like settings for this process and the gunicorn it starts (never DEBUG)."""
    # Its own database only, never the DATABASE_URL a developer works with: the bench drops it.
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("BENCH_SECRET_KEY", "bench-only-" + secrets.token_urlsafe(48))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "miaoba.settings",
            "DEBUG": "0",
            "DEMO_MODE": "0",
            "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Plain http on loopback: no redirect to https, cookies sent over http.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(OUT / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )


def _db_params() -> dict:
    url = urlparse(os.environ["DATABASE_URL"])
    if url.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("bench: BENCH_DATABASE_URL 必须指向 PostgreSQL（postgres://...）")
    if "bench" not in url.path:
        sys.exit("bench: 基准测试会删除并重建数据库，数据库名中必须含有 bench（如 miaoba_bench）")
    return {
        "dbname": url.path.lstrip("/"),
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password or None,
    }


def _admin_sql(statements: list[str]) -> None:
    import psycopg2

    p = _db_params()
    conn = psycopg2.connect(
        dbname="postgres", host=p["host"], port=p["port"], user=p["user"], password=p["password"]
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    conn.close()


def _database_exists() -> bool:
    import psycopg2

    p = _db_params()
    try:
        psycopg2.connect(**{k: v for k, v in p.items() if v is not None}).close()
    except psycopg2.OperationalError:
        return False
    return True


def _drop_database() -> None:
    name = _db_params()["dbname"]
    _admin_sql([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def _create_database() -> None:
    name = _db_params()["dbname"]
    _drop_database()
    _admin_sql([f'CREATE DATABASE "{name}"'])


def log(message: str) -> None:
    print(message, flush=True)


# --- measuring -------------------------------------------------------------------------------


class Timer:
    """Time GETs with Django's test client: one warm-up run counting queries, then `repeat`.

    Pages compared with each other are timed in turn (A, B, A, B ...), so a burst of load from
    elsewhere on the machine slows both sides alike.
    """

    def __init__(self, client, repeat: int):
        self.client = client
        self.repeat = repeat

    def first(self, path: str, data: dict | None = None, *, expect: str = "text/html"):
        """GET once, counting queries; return (captured queries, response)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # The request_started signal empties the query log: start counting from empty.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(path, data or {})
        captured = ctx.captured_queries  # now: the next request empties the log it reads
        self._check(path, data, response, expect)
        return captured, response

    def getter(self, path: str, data: dict | None = None, *, expect: str = "text/html"):
        def get():
            self._check(path, data, self.client.get(path, data or {}), expect)

        return get

    def interleaved(self, *functions) -> list[float]:
        """Run each function `repeat` times in turn; return each one's median seconds.

        A function may be given as (setup, function): `setup` runs untimed before each run
        (e.g. `forget_figures`, so each run is a first view).
        """
        times: list[list[float]] = [[] for _ in functions]
        for _ in range(self.repeat):
            for i, fn in enumerate(functions):
                setup, fn = fn if isinstance(fn, tuple) else (None, fn)
                if setup is not None:
                    setup()
                started = time.perf_counter()
                fn()
                times[i].append(time.perf_counter() - started)
        return [statistics.median(t) for t in times]

    def get(self, path: str, data: dict | None = None, *, expect: str = "text/html"):
        """Return (median seconds, query count, captured queries, response) of one page."""
        captured, response = self.first(path, data, expect=expect)
        (seconds,) = self.interleaved(self.getter(path, data, expect=expect))
        return seconds, len(captured), captured, response

    @staticmethod
    def _check(path, data, response, expect) -> None:
        if response.status_code != 200 or expect not in response.get("Content-Type", ""):
            raise RuntimeError(
                f"GET {path}?{urlencode(data or {})} gave {response.status_code} "
                f"{response.get('Content-Type')} {response.get('Location', '')}"
            )


def raw_sql(captured: list[dict]):
    """Return (a function re-running the SELECTs a page ran, as sent, with a raw cursor;
    the number of statements)."""
    from django.db import connection

    selects = [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def run():
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()

    return run, len(selects)


def slowest(captured: list[dict], n: int = 3) -> list[tuple[float, str]]:
    return sorted(((float(q["time"]), q["sql"]) for q in captured), reverse=True)[:n]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


class Report:
    """The rows of the result table and the diagnostics written beside it."""

    def __init__(self):
        self.rows: list[list[str]] = []
        self.notes: list[str] = []
        self.diagnostics: list[str] = []

    def add(self, what, app, baseline, ratio, goal, met: bool | None) -> None:
        mark = "—" if met is None else ("yes" if met else "**no**")
        self.rows.append([what, app, baseline, ratio, goal, mark])

    def sql(self, title: str, captured: list[dict], *, explain_top: int = 0) -> None:
        lines = [f"### {title}: {len(captured)} queries", ""]
        for q in captured:
            lines.append(f"- {float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")
        for seconds, sql in slowest(captured, explain_top):
            if sql.lstrip().upper().startswith("SELECT"):
                lines += [
                    "",
                    f"EXPLAIN ANALYZE ({seconds * 1000:.1f} ms):",
                    "```",
                    explain(sql),
                    "```",
                ]
        self.diagnostics.append("\n".join(lines))

    def table(self) -> str:
        head = ["Measure", "This app", "Baseline", "Ratio", "Goal", "Met"]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(out)


def _pages(path: str, admin_path: str, filters: tuple[dict, dict], timer: Timer):
    """Yield (label, app data, admin data) for the first, a filtered and the last page."""
    app_filter, admin_filter = filters
    yield "first page", {}, {}
    yield "filtered", app_filter, admin_filter
    first_app = timer.client.get(path).content.decode()
    first_admin = timer.client.get(admin_path).content.decode()
    app_last = re.search(r"第 \d+/(\d+) 页", first_app)
    admin_pages = [int(n) for n in re.findall(r"[?&]p=(\d+)", first_admin)]
    if not app_last or not admin_pages:
        raise RuntimeError(f"cannot find the last page of {path} or {admin_path}")
    yield "last page", {"page": app_last.group(1)}, {"p": str(max(admin_pages))}


def measure_lists(timer: Timer, report: Report, kind_id: int) -> None:
    lists = [
        (
            "petitions",
            "/disputes/petitions/",
            "disputes/petition",
            (
                {"year": "2020", "status": "replied"},
                {"year": "2020", "status__exact": "replied"},
            ),
        ),
        (
            "disputes",
            "/disputes/cases/",
            "disputes/dispute",
            (
                {"year": "2020", "type": "邻里"},
                {"year": "2020", "type__exact": "邻里"},
            ),
        ),
        (
            "documents",
            "/docs/documents/",
            "normative_docs/document",
            (
                {"year": "2020", "issuer": "庙坝府发"},
                {"year": "2020", "issuer__exact": "庙坝府发"},
            ),
        ),
        (
            "reviews",
            "/docs/reviews/",
            "normative_docs/legalreview",
            (
                {"year": "2020", "kind": "合同"},
                {"year": "2020", "kind__exact": "合同"},
            ),
        ),
        (
            "tasks",
            "/tasks/",
            "tasks/task",
            (
                {"status": "in_progress"},
                {"status__exact": "in_progress"},
            ),
        ),
        (
            "work records",
            "/reports/records/",
            "reports/workrecord",
            (
                {"year": "2020", "kind": str(kind_id)},
                {"year": "2020", "kind__id__exact": str(kind_id)},
            ),
        ),
    ]
    # A process serves many requests: what it caches for itself (reference lists, the calendar)
    # is filled by its first one. Query counts are those of the requests after it.
    for _name, path, admin_model, _filters in lists:
        timer.client.get(path)
        timer.client.get(f"/bench-admin/{admin_model}/")
    for name, path, admin_model, filters in lists:
        admin_path = f"/bench-admin/{admin_model}/"
        for label, app_data, admin_data in _pages(path, admin_path, filters, timer):
            captured, _ = timer.first(path, app_data)
            captured_admin, _ = timer.first(admin_path, admin_data)
            q_app, q_admin = len(captured), len(captured_admin)
            t_app, t_admin = timer.interleaved(
                timer.getter(path, app_data), timer.getter(admin_path, admin_data)
            )
            ratio = t_app / t_admin
            query = f"?{urlencode(app_data)}" if app_data else ""
            report.add(
                f"{name} `{path}{query}` ({label})",
                f"{t_app:.3f} s, {q_app} q",
                f"admin {t_admin:.3f} s, {q_admin} q",
                f"{ratio:.2f}×",
                f"≤ {LIST_QUERIES} q, ≤ 1.0×",
                q_app <= LIST_QUERIES and ratio <= 1.0,
            )
            report.sql(f"{name} {label} (app)", captured, explain_top=1 if ratio > 1 else 0)
            report.sql(f"{name} {label} (admin)", captured_admin)
            log(
                f"  {name:<13} {label:<11} app {t_app:.3f} s {q_app:>2} q · admin {t_admin:.3f} s {q_admin:>2} q"
            )


def forget_figures() -> None:
    """Make the next page compute its figures anew, as after any write: move the data version
    on (`miaoba.dataversion.bump`, what every write does) and empty the cache."""
    from django.core.cache import caches

    try:
        from miaoba import dataversion
    except ImportError:  # no figure cache in this version of the code
        dataversion = None
    if dataversion is not None:
        dataversion.bump()
    for cache in caches.all():
        cache.clear()


def measure_dashboard(timer: Timer, report: Report, year: int) -> None:
    """The dashboard of a past year and of 2016–`year`: its first view (figures computed, after
    a write) against the grouped SQL giving its figures (`bench.figures_sql`), and once viewed."""
    from bench import figures_sql
    from reports.areas import FigureBook

    path = "/reports/dashboard/"
    for first, data in ((year, {"year": str(year)}), (2016, {"from": "2016", "to": str(year)})):
        label = f"{first}–{year}" if first != year else str(year)
        forget_figures()
        captured, _ = timer.first(path, data)
        q_app = len(captured)
        run_sql, n_sql = figures_sql.baseline(first, year)
        figures = run_sql()  # warm-up
        compared, differ = figures_sql.compare(figures, FigureBook(None), first, year)
        t_first, t_sql = timer.interleaved((forget_figures, timer.getter(path, data)), run_sql)
        timer.first(path, data)  # viewed once
        captured_viewed, _ = timer.first(path, data)
        (t_viewed,) = timer.interleaved(timer.getter(path, data))
        ratio = t_first / t_sql
        query = f"`{path}?{urlencode(data)}`"
        report.add(
            f"dashboard {query} ({label}), first view (figures computed)",
            f"{t_first:.3f} s, {q_app} q",
            f"grouped SQL {t_sql:.3f} s ({n_sql} statements)",
            f"{ratio:.2f}×",
            f"≤ {DASHBOARD_QUERIES} q, ≤ {DASHBOARD_RATIO}×",
            q_app <= DASHBOARD_QUERIES and ratio <= DASHBOARD_RATIO,
        )
        report.add(
            f"dashboard {query} ({label}), once viewed",
            f"{t_viewed:.3f} s, {len(captured_viewed)} q",
            "—",
            "—",
            f"≤ {DASHBOARD_VIEWED} s" if first == year else "—",
            t_viewed <= DASHBOARD_VIEWED if first == year else None,
        )
        report.notes.append(
            f"Dashboard {label}: the grouped SQL gives {compared - len(differ)} of the "
            f"{compared} counts compared exactly as the page"
            + (f"; differing: {'; '.join(differ)}." if differ else ".")
        )
        report.sql(f"dashboard {label}, first view", captured, explain_top=3)
        report.sql(f"dashboard {label}, once viewed", captured_viewed)
        log(
            f"  dashboard {label:<10} first {t_first:.3f} s {q_app} q · viewed {t_viewed:.3f} s "
            f"· grouped SQL {t_sql:.3f} s · {compared - len(differ)}/{compared} figures agree"
        )


def measure_report(timer: Timer, report: Report, year: int) -> None:
    """The annual report of a past year (a draft, figures computed from the records) as HTML and
    as .docx: once viewed (the goal), and the first view after a write beside it."""
    for what, path, expect in (
        ("HTML", f"/reports/annual/{year}/", "text/html"),
        (".docx", f"/reports/annual/{year}/export/docx/", "wordprocessingml"),
    ):
        forget_figures()
        captured_first, _ = timer.first(path, expect=expect)
        (t_first,) = timer.interleaved((forget_figures, timer.getter(path, expect=expect)))
        seconds, queries, captured, _ = timer.get(path, expect=expect)
        report.add(
            f"annual report {year} {what} `{path}` (draft), once viewed",
            f"{seconds:.3f} s, {queries} q",
            f"first view {t_first:.3f} s, {len(captured_first)} q",
            "—",
            f"≤ {REPORT_SECONDS} s",
            seconds <= REPORT_SECONDS,
        )
        report.sql(f"annual report {year} {what}, first view", captured_first, explain_top=3)
        report.sql(f"annual report {year} {what}, once viewed", captured)
        log(
            f"  annual report {year} {what:<5} {seconds:.3f} s {queries} q "
            f"(first view {t_first:.3f} s {len(captured_first)} q)"
        )


def profile_pages(client, report: Report, paths: list[str]) -> None:
    """Profile one GET of each page (already viewed) with cProfile; write the functions with
    the most time to the diagnostics (where the CPU a request goes)."""
    import cProfile
    import io
    import pstats

    for path in paths:
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        response = client.get(path)
        profiler.disable()
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} gave {response.status_code}")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
        report.diagnostics.append(
            f"### Profile of `{path}` (one request)\n\n```\n{out.getvalue()}```"
        )


# --- the ledger import -----------------------------------------------------------------------


def write_ledger(path: Path, rows: int) -> None:
    """Write a petition ledger (xlsx) of `rows` new petitions of 2026, 庙坝镇信访办's."""
    import random

    from openpyxl import Workbook

    from bench.generate import PETITION_ASKS, PETITION_TOPICS, id_number, person_name, phone
    from disputes.models import Category
    from miaoba.ledger import LEDGERS
    from miaoba.models import Unit, Village

    rng = random.Random(2026)
    headers = LEDGERS["petitions"].headers()
    categories = list(Category.objects.values_list("name", flat=True))
    villages = list(
        Village.objects.filter(name__startswith="庙坝镇").values_list("name", flat=True)
    )
    unit = Unit.objects.get(name="庙坝镇信访办").name
    today = dt.date.today()
    first = dt.date(today.year, 1, 1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("信访件台账")
    sheet.append(headers)
    for i in range(rows):
        received = first + dt.timedelta(days=rng.randrange(max(1, (today - first).days - 120)))
        count = 1 if rng.random() < 0.8 else 2
        people = []
        for k in range(count):
            number, gender = id_number(5_000_000 + i * 2 + k, rng)
            people.append((person_name(rng), gender, number, phone(5_000_000 + i * 2 + k)))
        village = rng.choice(villages)
        r = rng.random()
        status = "已答复" if r < 0.6 else "办理中" if r < 0.8 else "待受理"
        decided = received + dt.timedelta(days=rng.randint(1, 14))
        concluded = decided + dt.timedelta(days=rng.randint(15, 55))
        replied = concluded + dt.timedelta(days=rng.randint(0, 10))
        row = {
            "编号": "",
            "登记日期": received,
            "来源渠道": rng.choice(["来信", "来访", "网上信访", "电话"]),
            "信访形式类别": "申诉求决类",
            "问题分类": rng.choice(categories),
            "村（社区）": village,
            "信访人姓名": "、".join(p[0] for p in people),
            "性别": "、".join(p[1] for p in people),
            "身份证号": "、".join(p[2] for p in people),
            "联系电话": "、".join(p[3] for p in people),
            "住址": "、".join(f"{village}{rng.randint(1, 9)}组" for _ in people),
            "信访人数": count,
            "主要内容": f"{village}群众反映{rng.choice(PETITION_TOPICS)}问题（台账第{i + 1}件）。",
            "诉求": f"请求{rng.choice(PETITION_ASKS)}",
            "承办单位": unit,
            "重复件": "否",
            "状态": status,
            "受理决定日期": decided if status != "待受理" else None,
            "办结日期": concluded if status == "已答复" else None,
            "处理意见": "解释说明" if status == "已答复" else None,
            "答复日期": replied if status == "已答复" else None,
            "答复方式": "书面答复" if status == "已答复" else None,
            "满意度": "满意" if status == "已答复" else None,
        }
        sheet.append([row.get(h) for h in headers])
    book.save(path)


def _peak_rss_mb() -> float:
    """Return this process's peak resident memory (VmHWM) in MB.

    Not `getrusage().ru_maxrss`: on Linux that keeps the parent's peak across fork and exec.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_probe(path: str, sample: str | None) -> None:
    """(Child process) Import the ledger at `path` as IMPORT_USER, roll back, print JSON."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    import miaoba.ledger as ledger
    from miaoba.models import User

    user = User.objects.get(username=IMPORT_USER)
    data = Path(path).read_bytes()
    rss_before = _peak_rss_mb()
    result: dict = {"rows_in_file": None, "refused": None}
    try:
        columns = ledger.LEDGERS["petitions"].headers()
        result["rows_in_file"] = sum(1 for _ in ledger.open_ledger(data, Path(path).name, columns))
    except ledger.LedgerFileError as exc:
        result["refused"] = str(exc)
        ledger.MAX_ROWS = 10**6  # measure the import itself all the same; reported as refused
    started = time.perf_counter()
    with transaction.atomic():
        plan = ledger.LEDGERS["petitions"].import_file(data, Path(path).name, user=user)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    result.update(
        rows=len(plan.rows),
        errors=[str(e) for e in plan.errors[:5]],
        error_count=len(plan.errors),
        seconds=seconds,
        rss_before_mb=rss_before,
        peak_rss_mb=_peak_rss_mb(),
    )
    if sample:
        sample_data = Path(sample).read_bytes()
        connection.queries_log.clear()
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            small = ledger.LEDGERS["petitions"].import_file(
                sample_data, Path(sample).name, user=user
            )
            transaction.set_rollback(True)
        result["sample_rows"] = len(small.rows)
        result["sample_queries"] = len(ctx.captured_queries)
        result["sample_query_seconds"] = sum(float(q["time"]) for q in ctx.captured_queries)
        shapes: dict[str, list] = {}
        for q in ctx.captured_queries:
            shape = re.sub(r"\d+|'[^']*'", "?", q["sql"])[:200]
            entry = shapes.setdefault(shape, [0, 0.0])
            entry[0] += 1
            entry[1] += float(q["time"])
        result["sample_top"] = sorted(shapes.items(), key=lambda kv: -kv[1][1])[:12]
        # Where the time goes (Python): a cProfile of the same import, again rolled back.
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        with transaction.atomic():
            profiler.enable()
            ledger.LEDGERS["petitions"].import_file(sample_data, Path(sample).name, user=user)
            profiler.disable()
            transaction.set_rollback(True)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(15)
        result["sample_profile"] = out.getvalue()
    print("IMPORT_JSON " + json.dumps(result, ensure_ascii=False), flush=True)


def measure_import(report: Report, runs: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big, sample = OUT / "ledger-10000.xlsx", OUT / "ledger-200.xlsx"
    write_ledger(big, IMPORT_ROWS)
    write_ledger(sample, 200)
    results = []
    for i in range(runs):
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, our own files
            [sys.executable, "-m", "bench.run", "--import-probe", str(big)]
            + (["--import-sample", str(sample)] if i == 0 else []),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("IMPORT_JSON ")), None)
        if line is None:
            raise RuntimeError(
                f"import probe failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        results.append(json.loads(line.removeprefix("IMPORT_JSON ")))
        r = results[-1]
        log(
            f"  import run {i + 1}: {r['rows']} rows in {r['seconds']:.1f} s, peak {r['peak_rss_mb']:.0f} MB"
        )
    first = results[0]
    if first["error_count"]:
        raise RuntimeError(f"the generated ledger has errors: {first['errors']}")
    seconds = statistics.median(r["seconds"] for r in results)
    peak = max(r["peak_rss_mb"] for r in results)
    rate = first["rows"] / seconds
    report.add(
        f"import {IMPORT_ROWS:,}-row petition ledger (xlsx) via `LEDGERS['petitions'].import_file`",
        f"{rate:,.0f} rows/s ({seconds:.1f} s)",
        "—",
        "—",
        f"≥ {IMPORT_RATE} rows/s",
        rate >= IMPORT_RATE,
    )
    report.add(
        "import: peak memory (RSS of the importing process)",
        f"{peak:,.0f} MB (process at start {first['rss_before_mb']:,.0f} MB)",
        "—",
        "—",
        f"≤ {IMPORT_MB} MB",
        peak <= IMPORT_MB,
    )
    if first["refused"]:
        report.notes.append(
            f"The {IMPORT_ROWS:,}-row file is refused as it stands: “{first['refused']}” "
            "(miaoba/ledger.py MAX_ROWS). The import was measured with the limit lifted in the "
            "measuring process."
        )
    per_row = first["sample_queries"] / first["sample_rows"]
    report.notes.append(
        f"Import queries: {first['sample_queries']} for a {first['sample_rows']}-row file "
        f"({per_row:.1f} per row)."
    )
    report.diagnostics.append(
        "### Import: most frequent statement shapes (200-row file)\n\n"
        + "\n".join(
            f"- {n:>5}× {seconds * 1000:8.1f} ms  {shape}"
            for shape, (n, seconds) in first["sample_top"]
        )
    )
    report.diagnostics.append(
        f"### Import: profile of the 200-row file\n\n```\n{first['sample_profile']}```"
    )


# --- load test --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pids) -> dict[int, float]:
    """Return {pid: CPU time used so far (user + system, seconds)} of the processes `pids`
    still running."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        times[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (stat's 14, 15)
    return times


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two `_cpu_seconds` readings: a process started in between
    counts whole, one ended in between is lost."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def _children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _database_pids() -> list[int]:
    """Return the PostgreSQL backends connected to the bench database (the workers' own)."""
    import psycopg2

    p = _db_params()
    conn = psycopg2.connect(
        dbname="postgres", host=p["host"], port=p["port"], user=p["user"], password=p["password"]
    )
    with conn.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [p["dbname"]])
        pids = [row[0] for row in cursor.fetchall()]
    conn.close()
    return pids


class CpuMeter:
    """CPU time of the server (gunicorn's master and workers) and of the database backends
    serving it, over a stretch of the load test; read from /proc (same machine)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.app = self.db = self.seconds = 0.0  # CPU seconds; wall seconds, set by the caller

    def __enter__(self):
        self.server = [self.server_pid, *_children(self.server_pid)]
        self.database = _database_pids()
        self.start = (_cpu_seconds(self.server), _cpu_seconds(self.database))
        return self

    def __exit__(self, *exc):
        # The workers keep their database connections for the whole run (CONN_MAX_AGE set
        # long for the bench's gunicorn), so no backend's CPU is lost to a reconnection.
        server = set(self.server) | set(_children(self.server_pid))
        database = set(self.database) | set(_database_pids())
        self.app = _used(self.start[0], _cpu_seconds(server))
        self.db = _used(self.start[1], _cpu_seconds(database))
        return False


def _wait_idle(server_pid: int, *, limit: float = 60.0) -> None:
    """Wait until gunicorn's processes stop using CPU (requests left from a run are done)."""
    deadline = time.monotonic() + limit
    before = sum(_cpu_seconds([server_pid, *_children(server_pid)]).values())
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = sum(_cpu_seconds([server_pid, *_children(server_pid)]).values())
        if now - before < 0.02:
            return
        before = now


def _fetch(url: str, cookies: list[str], n: int, *, workers: int) -> None:
    """GET `url` `n` times, `workers` at once, each with a user's cookie; raise unless 200."""
    from concurrent.futures import ThreadPoolExecutor

    opener = urllib.request.build_opener(_NoRedirect)  # a redirect to the login page: an error

    def get(i: int) -> None:
        req = urllib.request.Request(url, headers={"Cookie": cookies[i % len(cookies)]})  # noqa: S310
        with opener.open(req, timeout=120) as response:  # noqa: S310 - http://127.0.0.1
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} gave {response.status}")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(get, range(n)))


def _log_lines(path: Path) -> int:
    time.sleep(0.5)  # gunicorn writes its access log line after the response
    return len(path.read_text().splitlines()) if path.exists() else 0


def _server_times(path: Path, skip: int, title: str) -> tuple[str, float]:
    """Summarise gunicorn's access log after line `skip`: server time by page, the slowest;
    return (the summary, the p95 of every request's server time in seconds)."""
    rows = []
    for line in path.read_text().splitlines()[skip:]:
        method, url, status, micros = line.rsplit(" ", 3)
        rows.append((int(micros) / 1e6, url, status))
    by_url: dict[str, list[float]] = {}
    for seconds, url, _ in rows:
        by_url.setdefault(url, []).append(seconds)
    lines = [f"### Server time of each request (gunicorn's access log): {title}", ""]
    lines.append("| Page | Requests | Median | p95 | Max |")
    lines.append("|---|---|---|---|---|")
    for url, times in sorted(by_url.items()):
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        lines.append(
            f"| `{url}` | {len(times)} | {statistics.median(times):.3f} s | {p95:.3f} s | "
            f"{times[-1]:.3f} s |"
        )
    lines += ["", "Slowest:"]
    lines += [f"- {s:.3f} s `{url}` {status}" for s, url, status in sorted(rows, reverse=True)[:15]]
    every = sorted(seconds for seconds, _, _ in rows) or [0.0]
    return "\n".join(lines), every[min(len(every) - 1, int(len(every) * 0.95))]


def _users(base: str, paths: list[str], cookies: list[str], *, seconds: int,
           think_ms: tuple[int, int]) -> dict:  # fmt: skip
    """Simulate len(cookies) users for `seconds`: each waits a random think time, then opens a
    connection and GETs the next page of `paths` (as a browser behind nginx would: a gunicorn
    sync worker is never held by a connection idle through someone's thinking; wrk opens its
    next connection at once and lets it idle through the think time, which ties up the
    workers). Return wrk-like totals: requests, latency percentiles (µs), errors."""
    import http.client
    import random
    import threading

    host, port = urlparse(base).hostname, urlparse(base).port
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    lock = threading.Lock()

    def user(i: int) -> None:
        rng = random.Random(i)
        turn = i
        while True:
            time.sleep(rng.uniform(think_ms[0], think_ms[1]) / 1000)
            if time.monotonic() >= stop_at:
                return
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=10)
                conn.request("GET", path, headers={"Cookie": cookies[i]})
                response = conn.getresponse()
                response.read()
                conn.close()
                kind = "status" if response.status != 200 else None
            except TimeoutError:
                kind = "timeout"
            except ConnectionRefusedError:
                kind = "connect"
            except OSError:
                kind = "read"
            elapsed = time.perf_counter() - started
            with lock:
                if kind:
                    errors[kind] += 1
                else:
                    latencies.append(elapsed)

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(cookies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - started
    latencies.sort()

    def pct(q: float) -> int:
        return (
            int(latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1e6)
            if latencies
            else 0
        )

    r = {"requests": len(latencies) + sum(errors.values()), "duration_us": int(duration * 1e6),
         "p50_us": pct(0.50), "p95_us": pct(0.95), "p99_us": pct(0.99), **errors}  # fmt: skip
    r["rps"] = r["requests"] / duration
    r["errors"] = sum(errors.values())
    return r


def _wrk(base: str, paths: list[str], cookies: list[str], *, seconds: int, clients: int) -> dict:
    """Run wrk over `paths` in turn, no think time; return its BENCH_JSON totals."""
    env = {**os.environ, "BENCH_PATHS": " ".join(paths), "BENCH_COOKIES": "|".join(cookies)}
    script = str(ROOT / "bench/wrk.lua")
    threads = min(2, clients)
    command = [shutil.which("wrk"), f"-t{threads}", f"-c{clients}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", script, base + "/"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - wrk on loopback
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {proc.stdout}\n{proc.stderr}")
    r = json.loads(line.removeprefix("BENCH_JSON "))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return r


def measure_load(report: Report, cookies: list[str], paths: list[str], args) -> None:
    """The load test against gunicorn (3 workers, as deployed) on 127.0.0.1, in two parts:
    `args.clients` users with 2–5 s think time (p95, errors), then saturation (no think time):
    requests a second over the page mix, and CPU milliseconds a request (server and database
    processes) for the mix and for each page alone."""
    wrk = shutil.which("wrk")
    apt_get = shutil.which("apt-get")
    if wrk is None and os.geteuid() == 0 and apt_get:
        log("  wrk is missing: apt-get install -y wrk")
        subprocess.run([apt_get, "install", "-y", "-q", "wrk"], check=False, capture_output=True)  # noqa: S603
        wrk = shutil.which("wrk")
    if wrk is None:
        report.add("load test", "not run: wrk is not installed (apt-get install -y wrk)",
                   "—", "—", "—", None)  # fmt: skip
        return
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    access_log = OUT / "gunicorn-access.log"
    access_log.unlink(missing_ok=True)
    server = subprocess.Popen(  # noqa: S603 - the project's gunicorn on loopback
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "miaoba.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            # Each request's path, status and server time (µs): what the think-time run waited on.
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(m)s %(U)s%(q)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        # One database connection a worker for the whole run (production keeps one 60 s), so
        # each backend's CPU is read whole; reconnecting once a minute costs next to nothing.
        env={**os.environ, "CONN_MAX_AGE": "3600"},
    )
    per_page: list[tuple[str, CpuMeter]] = []
    server_p95 = 0.0
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2).read()  # noqa: S310 - http://127.0.0.1
                break
            except OSError:  # refused while starting, or a timeout
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start")
        opener = urllib.request.build_opener(_NoRedirect)
        for path in paths:
            req = urllib.request.Request(base + path, headers={"Cookie": cookies[0]})  # noqa: S310
            status = opener.open(req, timeout=60).status  # noqa: S310 - http://127.0.0.1
            if status != 200:
                raise RuntimeError(f"{path} gave {status} through gunicorn")
        _wrk(base, paths, cookies, seconds=5, clients=args.saturation_clients)  # warm-up
        logged_before = _log_lines(access_log)
        think = _users(base, paths, cookies[: args.clients], seconds=args.seconds,
                       think_ms=(2000, 5000))  # fmt: skip
        summary, server_p95 = _server_times(access_log, logged_before, "users with think time")
        report.diagnostics.append(summary)
        log(f"  {args.clients} users with think time: {think['rps']:.1f} req/s, "
            f"p95 {think['p95_us'] / 1e6:.3f} s, errors {think['errors']}")  # fmt: skip
        mix = _wrk(base, paths, cookies, seconds=args.saturation_seconds,
                   clients=args.saturation_clients)  # fmt: skip
        log(f"  saturation, page mix: {mix['rps']:.1f} req/s, p95 {mix['p95_us'] / 1e6:.3f} s")
        for path in paths:
            _wait_idle(server.pid)
            with CpuMeter(server.pid) as cpu:
                started = time.perf_counter()
                _fetch(base + path, cookies, args.cpu_requests, workers=3)
                cpu.seconds = time.perf_counter() - started
            per_page.append((path, cpu))
            log(f"  CPU {path}: {(cpu.app + cpu.db) / args.cpu_requests * 1000:.0f} ms a request "
                f"({args.cpu_requests / cpu.seconds:.1f} req/s)")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)

    p95 = think["p95_us"] / 1e6
    report.add(
        f"{args.clients} users, 2–5 s think time, {args.seconds} s, gunicorn 3 workers",
        f"p95 {p95:.3f} s (p50 {think['p50_us'] / 1e6:.3f} s, p99 {think['p99_us'] / 1e6:.3f} s), "
        f"{think['rps']:.1f} req/s, {think['requests']} requests; in the worker (gunicorn's "
        f"request time, without waiting to be accepted) p95 {server_p95:.3f} s",
        "—",
        "—",
        f"p95 ≤ {P95_SECONDS} s",
        p95 <= P95_SECONDS,
    )
    report.add(
        f"{args.clients} users: errors (connect/read/write/status ≥ 400/timeout)",
        f"{think['errors']} ({think['connect']}/{think['read']}/{think['write']}/"
        f"{think['status']}/{think['timeout']})",
        "—",
        "—",
        "0",
        think["errors"] == 0,
    )
    n = args.cpu_requests
    app = sum(cpu.app for _, cpu in per_page) / (n * len(per_page)) * 1000
    db = sum(cpu.db for _, cpu in per_page) / (n * len(per_page)) * 1000
    report.add(
        f"saturation, page mix ({args.saturation_clients} connections, no think time, "
        f"{args.saturation_seconds} s, wrk)",
        f"{mix['rps']:.1f} req/s, p95 {mix['p95_us'] / 1e6:.3f} s, {mix['errors']} errors",
        "—",
        "—",
        "—",
        None,
    )
    report.add(
        "CPU a request, averaged over the page mix (server + database)",
        f"{app + db:.0f} ms ({app:.0f} ms server + {db:.0f} ms database)",
        "—",
        "—",
        f"≤ {CPU_MS} ms",
        app + db <= CPU_MS,
    )
    for path, cpu in per_page:
        report.add(
            f"CPU a request, `{path}`",
            f"{(cpu.app + cpu.db) / n * 1000:.0f} ms ({cpu.app / n * 1000:.0f} ms server + "
            f"{cpu.db / n * 1000:.0f} ms database); {n / cpu.seconds:.1f} req/s at full CPU",
            "—",
            "—",
            "—",
            None,
        )
    report.notes.append(
        "Load-test page mix, in turn: " + ", ".join(f"`{p}`" for p in paths) + ". CPU a request: "
        f"each page requested {args.cpu_requests} times by 3 clients at once (one a worker, so "
        "the CPU is busy), from an idle server; the CPU time of gunicorn's processes and of the "
        "PostgreSQL backends serving them (from /proc) over those requests, divided by their "
        "number. Other work on the machine does not enter it, though it slows the request rates."
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- main -------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    import django

    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {mem:.0f} GB RAM, "
        f"{platform.processor() or platform.machine()}, PostgreSQL {pg} (default settings, "
        f"same machine), Python {platform.python_version()}, Django {django.get_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--import-runs", type=int, default=1, help="runs of the ledger import")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load test")
    parser.add_argument("--clients", type=int, default=20, help="users with think time (load test)")
    parser.add_argument(
        "--saturation-clients", type=int, default=6, help="connections of the saturation runs"
    )
    parser.add_argument(
        "--saturation-seconds", type=int, default=30, help="length of the page-mix saturation run"
    )
    parser.add_argument(
        "--cpu-requests", type=int, default=15, help="requests a page when measuring its CPU"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full volume")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept before")
    parser.add_argument(
        "--skip", default="", help="comma list of: lists,dashboard,report,profile,import,load"
    )
    parser.add_argument("--import-probe", help=argparse.SUPPRESS)
    parser.add_argument("--import-sample", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _environment()
    if args.import_probe:
        import_probe(args.import_probe, args.import_sample)
        return
    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    load_before = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and _database_exists()
    if not reuse:
        _create_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    log(f"bench: database {_db_params()['dbname']}, migrating")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disputes_dispute")
        generated = cursor.fetchone()[0] > 0
    if not generated:
        from bench.generate import Generator

        log("bench: generating the county-scale dataset")
        t0 = time.perf_counter()
        Generator(scale=args.scale).run()
        log(f"bench: dataset ready in {time.perf_counter() - t0:.0f} s")
    from miaoba.models import User
    from reports.models import WorkRecordKind

    report = Report()
    leader = User.objects.get(username="leader")
    kind_id = WorkRecordKind.objects.order_by("order").values_list("pk", flat=True)[3]
    backend = "django.contrib.auth.backends.ModelBackend"
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            client = Client()
            client.force_login(leader, backend=backend)
            timer = Timer(client, args.repeat)
            if "lists" not in skip:
                log("bench: list pages against the admin")
                measure_lists(timer, report, kind_id)
            if "dashboard" not in skip:
                log("bench: dashboard against the grouped SQL giving its figures")
                measure_dashboard(timer, report, PAST_YEAR)
            if "report" not in skip:
                log("bench: annual report")
                measure_report(timer, report, PAST_YEAR)
            if "profile" not in skip:
                log("bench: where each load-test page spends its time (cProfile)")
                profile_pages(client, report, LOAD_PATHS)
        if "import" not in skip:
            log(f"bench: importing a {IMPORT_ROWS:,}-row petition ledger")
            measure_import(report, args.import_runs)
        if "load" not in skip:
            log(f"bench: load test against gunicorn ({args.clients} users, then saturation)")
            cookies = []
            for _ in range(args.clients):
                c = Client()
                c.force_login(leader, backend=backend)
                cookie = c.cookies[django.conf.settings.SESSION_COOKIE_NAME]
                cookies.append(f"{cookie.key}={cookie.value}")
            connection.close()
            measure_load(report, cookies, LOAD_PATHS, args)
        total = time.perf_counter() - started
        text = "\n".join(
            [
                f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {total / 60:.1f} min in all; "
                f"median of {args.repeat} runs after a warm-up; q = SQL queries per request.",
                f"Machine: {machine()}; load average (1 min) {load_before[0]:.1f} at the start, "
                f"{os.getloadavg()[0]:.1f} at the end (other work on the machine slows every "
                "figure; the ratios compare pages timed in turn).",
                "",
                report.table(),
                "",
                *[f"- {n}" for n in report.notes],
            ]
        )
        log("\n" + text)
        (OUT / "result.md").write_text(text + "\n")
        (OUT / "diagnostics.md").write_text("\n\n".join(report.diagnostics) + "\n")
        log(f"\nbench: table in {OUT / 'result.md'}, SQL and EXPLAIN in {OUT / 'diagnostics.md'}")
    finally:
        if not args.keep:
            connection.close()
            _drop_database()
            log("bench: database dropped (use --keep to keep it)")


if __name__ == "__main__":
    main()
