"""Cost of recording usage (the reporting-burden register) per page view, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/usage.py [--database postgres|sqlite|both] [--views 500] [--history 200000]

Builds one organisation with 300 indicators in a database of its own (PostgreSQL: DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/tillit_bench_usage, created and dropped here; SQLite: a temporary file),
fills the daily usage table with `--history` rows of earlier days, then times `usage_record`:

  1. an indicator page view: one indicator, the same key repeated (an UPDATE through the conflict),
  2. a follow-up page view: 100 indicators' charts in one statement,
  3. a follow-up page view of a new day (100 INSERTs through one statement),
  4. the statement of 2. alone, inside a transaction that is rolled back (no commit, no fsync).

Prints the milliseconds per page view (median and 95th percentile) and the rows in the table. A benchmark,
not a test: it prints and asserts only that the counts add up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tillit_bench_usage"


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"test", "postgres"}:
        raise SystemExit(f"Refusing to use the database {name!r}.")
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True), name


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(database: str, args) -> None:
    if database == "postgres":
        url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
        if not url.startswith("postgres"):
            url = DEFAULT_POSTGRES
        admin, name = _admin(url)
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        handle, sqlite_file = tempfile.mkstemp(prefix="tillit-bench-usage-", suffix=".sqlite3")
        os.close(handle)
        url = f"sqlite:///{sqlite_file}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Sum
        from django.utils import timezone

        from tillit.burden.enums import UsageKind
        from tillit.burden.models import UsageDaily
        from tillit.burden.services import usage_record
        from tillit.chain import services as chain_services
        from tillit.indicators.models import Indicator

        call_command("migrate", verbosity=0)
        organisation = chain_services.organisation_create(name="Benchby kommun", slug="benchby")
        level = chain_services.level_create(organisation=organisation, name="Enhet", rank=0)
        unit = chain_services.unit_create(
            access=None, organisation=organisation, parent=None, level=level, name="Enheten"
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                organisation=organisation,
                unit=unit,
                name=f"Indikator {n:03d}",
                definition="Benchmark.",
                purpose_link="Benchmark.",
                data_type="count",
                frequency="month",
                origin="unit",
            )
            for n in range(300)
        )
        ids = [indicator.pk for indicator in Indicator.objects.filter(unit=unit).order_by("pk")]
        today = timezone.localdate()
        # A history: earlier days, every indicator, a few viewing units and kinds.
        history = []
        kinds = [UsageKind.CHART_VIEW, UsageKind.INDICATOR_PAGE_VIEW]
        day = 1
        while len(history) < args.history:
            for pk in ids:
                for viewer in (unit.pk, unit.pk + 1000):
                    history.append(
                        UsageDaily(
                            organisation=organisation,
                            indicator_key=pk,
                            viewer_unit_key=viewer,
                            day=today - timedelta(days=day),
                            kind=kinds[day % 2],
                            count=3,
                        )
                    )
            day += 1
        UsageDaily.objects.bulk_create(history[: args.history], batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        def timed(call, views):
            times = []
            for n in range(views):
                start = time.perf_counter()
                call(n)
                times.append((time.perf_counter() - start) * 1000)
            return times

        single = timed(
            lambda n: usage_record(indicator_ids=[ids[0]], kind=UsageKind.INDICATOR_PAGE_VIEW, unit=unit),
            args.views,
        )
        page = timed(
            lambda n: usage_record(indicator_ids=ids[:100], kind=UsageKind.CHART_VIEW, unit=unit), args.views
        )
        fresh = timed(
            lambda n: usage_record(
                indicator_ids=ids[:100],
                kind=UsageKind.CHART_VIEW,
                unit=unit,
                at=timezone.now() + timedelta(days=n + 1),
            ),
            min(args.views, 100),
        )
        from django.db import transaction

        def in_transaction(n):
            with transaction.atomic():
                usage_record(indicator_ids=ids[:100], kind=UsageKind.CHART_VIEW, unit=unit)
                transaction.set_rollback(True)

        statement = timed(in_transaction, args.views)
        counted = UsageDaily.objects.filter(
            day=today, indicator_key=ids[0], kind=UsageKind.INDICATOR_PAGE_VIEW
        )
        assert counted.aggregate(total=Sum("count"))["total"] == args.views
        rows = UsageDaily.objects.count()
        vendor = connection.vendor
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                vendor += " " + cursor.fetchone()[0]
        print(f"{vendor}: {rows} usage rows after the run, {len(indicators)} indicators")
        for label, times in (
            ("indicator page view (1 indicator, update)", single),
            ("follow-up page view (100 charts, update)", page),
            ("follow-up page, first view of a day (100 inserts)", fresh),
            ("the statement alone, without its commit (100 charts)", statement),
        ):
            print(
                f"  {label}: median {statistics.median(times):.2f} ms, "
                f"p95 {_percentile(times, 0.95):.2f} ms over {len(times)} views"
            )
    finally:
        if database == "postgres":
            from django.db import connections

            connections.close_all()
            admin, name = _admin(url)
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            Path(sqlite_file).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--views", type=int, default=500)
    parser.add_argument("--history", type=int, default=200_000)
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--database", database, "--views", str(args.views)]
            subprocess.run([*command, "--history", str(args.history)], check=True)
        return
    run(args.database, args)


if __name__ == "__main__":
    main()
