"""Speed of follow-up: the unit follow-up page, the joint-look view and the analysis run, on a real database.

    .venv/bin/python benchmarks/followup.py [--database postgres|sqlite|both] [--repeat 7] [--keep]

Builds one organisation in a database of its own (PostgreSQL: the database named by DATABASE_URL, by
default postgres://postgres@127.0.0.1:5432/tillit_bench, created and dropped here; SQLite: a temporary
file): a top unit, 3 nämnder with a förvaltning each and 50 units under each förvaltning, 5 000
monthly series of 36 points (one unit with 100 indicators, one with 10, the rest spread over the other
units), signed boundaries on some of them, a few phase changes and narratives. Then it times

  1. the follow-up page of the unit with 100 indicators (target < 300 ms server time),
  2. the joint-look view of the top unit over all 5 000 series (target < 500 ms),
  3. `analysis_run` over the organisation: the first run and a second run where nothing changed,
  4. the SQL queries of each page, and that they do not grow with the number of indicators.

Pages go through the Django test client in this process (force_login), so the times are server time:
middleware, session, view, queries and template, without a network. Best and median of the repeats, after
one warm-up request. This is a benchmark, not a test: it prints, it asserts only that pages answer 200.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261201
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tillit_bench"
POINTS = 36
TARGET_UNIT_MS = 300
TARGET_JOINT_MS = 500


# --- The database of its own -----------------------------------------------------------------------


def _postgres_admin(url: str):
    """A connection to the server's `postgres` database (to create and drop the bench database) and its name."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"test", "postgres"}:
        raise SystemExit(f"Refusing to use the database {name!r}: give the benchmark a database of its own.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True), name


def postgres_create(url: str) -> None:
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def postgres_drop(url: str) -> None:
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Data ------------------------------------------------------------------------------------------


def months_back(count: int, today: date) -> list[date]:
    """The first days of the `count` months before the current one, oldest first."""
    last = today.year * 12 + today.month - 2
    return [date(m // 12, m % 12 + 1, 1) for m in range(last - count + 1, last + 1)]


def build(*, series_total: int, big: int, small: int):
    """The organisation, its people and data (setup code: services with access=None, data in bulk)."""
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.agreements.models import Agreement, AgreementState, AgreementVersion, Boundary, BoundaryKind
    from tillit.chain import services as chain_services
    from tillit.indicators.models import Indicator, Narrative, Observation, PhaseChange

    rng = np.random.default_rng(SEED)
    organisation = chain_services.organisation_create(name="Benchby kommun", slug="benchby")
    levels = [
        chain_services.level_create(organisation=organisation, name=name, rank=rank)
        for rank, name in enumerate(["Kommun", "Nämnd", "Förvaltning", "Enhet"])
    ]
    role = chain_services.role_create(organisation=organisation, name="Chef", can_write=True, can_manage=True)

    def unit(parent, level, name):
        return chain_services.unit_create(
            access=None, organisation=organisation, parent=parent, level=level, name=name
        )

    top = unit(None, levels[0], "Benchby kommun")
    departments, leaves = [], []
    for board_no in range(1, 4):
        board = unit(top, levels[1], f"Nämnd {board_no}")
        department = unit(board, levels[2], f"Förvaltning {board_no}")
        departments.append(department)
        leaves += [unit(department, levels[3], f"Enhet {board_no}.{n:02d}") for n in range(1, 51)]
    person = User.objects.create_user(
        "chef@benchby.example", None, full_name="Bench Chef", organisation=organisation
    )
    chain_services.membership_create(access=None, person=person, unit=top, role=role, title="Kommundirektör")

    # Indicators: `big` in the first unit, `small` in the second, the rest spread over the other units.
    big_unit, small_unit, others = leaves[0], leaves[1], leaves[2:]
    rest = series_total - big - small
    owners = [big_unit] * big + [small_unit] * small + [others[i % len(others)] for i in range(rest)]
    kinds = rng.choice(["measurement", "proportion", "count"], size=series_total, p=[0.7, 0.2, 0.1])
    directions = np.where(
        kinds == "proportion",
        "up",
        np.where(kinds == "count", "down", rng.choice(["up", "down", "neutral"], size=series_total)),
    )
    labels = {"measurement": "dagar", "proportion": "%", "count": "st"}
    per_unit: dict[int, int] = {}
    indicators = []
    for i, owner in enumerate(owners):
        number = per_unit[owner.pk] = per_unit.get(owner.pk, 0) + 1
        indicators.append(
            Indicator(
                organisation=organisation,
                unit=owner,
                name=f"Indikator {number:03d}",
                definition="Benchmark data.",
                purpose_link="Benchmark.",
                data_type=kinds[i],
                direction=directions[i],
                frequency="month",
                measure_label=labels[kinds[i]],
                scale=100.0 if kinds[i] == "proportion" else 1.0,
                origin="unit",
                created_by=person,
            )
        )
    indicators = Indicator.objects.bulk_create(indicators, batch_size=1000)

    # Values: routine variation, a real shift of concern in the last 8 months of ~4 % of the series.
    periods = months_back(POINTS, timezone.localdate())
    shifted = rng.random(series_total) < 0.04
    observations = []
    means = {"measurement": 100.0, "proportion": 0.85, "count": 20.0}
    for i, indicator in enumerate(indicators):
        kind = kinds[i]
        concern = -1.0 if directions[i] == "up" else 1.0  # neutral: a shift, but not of concern
        if kind == "measurement":
            values = rng.normal(100.0, 10.0, POINTS)
            if shifted[i]:
                values[-8:] += concern * 25.0
            denominators = [None] * POINTS
        elif kind == "proportion":
            denominators = rng.integers(150, 250, POINTS)
            p = np.full(POINTS, means[kind])
            if shifted[i]:
                p[-8:] -= 0.12
            values = rng.binomial(denominators, p).astype(float)
            denominators = denominators.astype(float).tolist()
        else:
            lam = np.full(POINTS, means[kind])
            if shifted[i]:
                lam[-8:] *= 1.8
            values = rng.poisson(lam).astype(float)
            denominators = [None] * POINTS
        observations += [
            Observation(
                organisation=organisation,
                indicator=indicator,
                period=period,
                value=round(float(value), 1),
                denominator=denominator,
                recorded_by=person,
            )
            for period, value, denominator in zip(periods, values, denominators, strict=True)
        ]
    Observation.objects.bulk_create(observations, batch_size=5000)

    # Boundaries in signed agreements: a fifth of the directed series, most far away (reliably inside),
    # one in six close to the process (hit or miss).
    bounded = [i for i in range(series_total) if directions[i] != "neutral" and rng.random() < 0.2]
    versions: dict[int, AgreementVersion] = {}
    boundaries = []
    for i in bounded:
        indicator = indicators[i]
        owner = indicator.unit
        if owner.pk not in versions:
            agreement = Agreement.objects.create(
                organisation=organisation, unit=owner, upper_unit_id=owner.parent_id
            )
            versions[owner.pk] = AgreementVersion.objects.create(
                organisation=organisation,
                agreement=agreement,
                number=1,
                state=AgreementState.SIGNED,
                created_by=person,
            )
        near = rng.random() < 1 / 6
        kind = kinds[i]
        if kind == "measurement":
            centre, sd = 100.0, 10.0
        elif kind == "proportion":
            centre, sd = 85.0, 2.5  # on the shown scale (per cent)
        else:
            centre, sd = 20.0, 4.5
        distance = (1.8 if near else 6.0) * sd
        low, high = (centre - distance, None) if directions[i] == "up" else (None, centre + distance)
        boundaries.append(
            Boundary(
                organisation=organisation,
                version=versions[owner.pk],
                position=len(boundaries),
                kind=BoundaryKind.INDICATOR,
                indicator=indicator,
                low=low,
                high=high,
            )
        )
    Boundary.objects.bulk_create(boundaries, batch_size=1000)

    # A few phase changes and narratives on the big unit's page.
    PhaseChange.objects.bulk_create(
        PhaseChange(
            organisation=organisation,
            indicator=indicators[i],
            period=periods[POINTS // 2],
            label="Ny rutin",
            created_by=person,
        )
        for i in range(0, big, 10)
    )
    Narrative.objects.bulk_create(
        Narrative(organisation=organisation, unit=big_unit, period=period, text="Vad vi ser.", author=person)
        for period in periods[-3:]
    )
    return {
        "organisation": organisation,
        "person": person,
        "top": top,
        "department": departments[0],
        "big_unit": big_unit,
        "small_unit": small_unit,
        "observations": len(observations),
        "boundaries": len(boundaries),
    }


# --- Measuring -------------------------------------------------------------------------------------


def timed(function, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds of each call. CPU time is this process's own: it hardly moves when other
    processes share the cores, but it leaves out the database server's work (PostgreSQL runs apart)."""
    times = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(((time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000))
    return times


def page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    get()  # warm-up: templates compiled, translations loaded
    times = timed(get, repeat)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    return {"times": times, "queries": len(captured.captured_queries), "size": len(response.content)}


def line(label: str, times: list[tuple[float, float]], target: float | None = None) -> str:
    wall = [w for w, _cpu in times]
    best, median = min(wall), statistics.median(wall)
    cpu = statistics.median(c for _wall, c in times)
    verdict = ""
    if target is not None:
        verdict = f"  target < {target} ms: {'met' if median < target else 'MISSED'}"
    return f"  {label:<38} best {best:7.1f} ms, median {median:7.1f} ms (CPU {cpu:6.1f} ms){verdict}"


def run(database: str, args) -> None:
    """Everything in one process for one database (Django is configured once per process)."""
    sqlite_file = None
    if database == "postgres":
        url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
        if not url.startswith("postgres"):
            url = DEFAULT_POSTGRES
        postgres_create(url)
    else:
        handle, sqlite_file = tempfile.mkstemp(prefix="tillit-bench-", suffix=".sqlite3")
        os.close(handle)
        url = f"sqlite:///{sqlite_file}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count, Q
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone

        from tillit.followup.models import AnalysisResult
        from tillit.followup.tasks import followup_refresh as analysis_run  # the analysis, then the looks

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        migrated = time.perf_counter()
        data = build(series_total=args.series, big=args.big, small=args.small)
        built = time.perf_counter()

        organisation_id = data["organisation"].pk

        def statistics_refresh():
            # Autovacuum would do this after a bulk load; a server with autovacuum off (this one) never
            # does, and without statistics PostgreSQL plans the observations read as a nested loop that
            # scans the organisation's index once per indicator (about 25 s for 5 000 series).
            if not args.no_analyze:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

        statistics_refresh()
        runs = []
        first_times = timed(lambda: runs.append(analysis_run(organisation_id=organisation_id)), 1)
        statistics_refresh()  # the results table is new too
        second_times = timed(lambda: runs.append(analysis_run(organisation_id=organisation_id)), args.runs)
        first, second = runs[0], runs[-1]

        counts = AnalysisResult.objects.filter(organisation_id=organisation_id).aggregate(
            total=Count("pk"), look=Count("pk", filter=Q(needs_look=True))
        )
        big_look = AnalysisResult.objects.filter(unit=data["big_unit"], needs_look=True).count()

        client = Client()
        client.force_login(data["person"])

        def page_url(name, unit):
            return reverse(name, kwargs={"unit_id": unit.pk})

        unit_big = page(client, page_url("followup:unit-followup", data["big_unit"]), args.repeat)
        unit_small = page(client, page_url("followup:unit-followup", data["small_unit"]), args.repeat)
        joint_top = page(client, page_url("followup:joint-look", data["top"]), args.repeat)
        joint_department = page(client, page_url("followup:joint-look", data["department"]), args.repeat)
        joint_small = page(client, page_url("followup:joint-look", data["small_unit"]), args.repeat)
        department_look = AnalysisResult.objects.filter(
            organisation_id=organisation_id,
            needs_look=True,
            unit_path__startswith=data["department"].path,
        ).count()
        small_look = AnalysisResult.objects.filter(unit=data["small_unit"], needs_look=True).count()

        vendor = connection.vendor
        server = ""
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                server = f" {cursor.fetchone()[0]}"
        print(
            f"Follow-up benchmark on {vendor}{server}, {timezone.localdate().isoformat()}, {os.cpu_count()} cores,"
            f" load average {' '.join(f'{load:.1f}' for load in os.getloadavg())} at the end"
            " (other processes share the cores: read best as the quiet figure)"
        )
        print(
            f"  data: {counts['total']} series x {POINTS} monthly points ({data['observations']} observations),"
            f" {data['boundaries']} signed boundaries; migrate {migrated - start:.1f} s, build {built - migrated:.1f} s"
        )
        print(
            f"  needing a joint look: {counts['look']} of {counts['total']}"
            f" ({100 * counts['look'] / max(counts['total'], 1):.1f} %)"
        )
        statistics_note = "without planner statistics" if args.no_analyze else "after ANALYZE"
        print(f"analysis_run(organisation_id=...), {counts['total']} series, {statistics_note}")
        print(line(f"first run (analysed {first.analysed}, written {first.written})", first_times))
        print(line(f"unchanged rerun (x{args.runs}, written {second.written})", second_times))
        print(f"Unit follow-up page, {args.repeat} repeats after a warm-up")
        print(line(f"{args.big} indicators ({big_look} need a look)", unit_big["times"], TARGET_UNIT_MS))
        print(line(f"{args.small} indicators", unit_small["times"]))
        print(
            f"  queries: {unit_big['queries']} with {args.big} indicators, {unit_small['queries']} with {args.small}"
            f" ({'constant' if unit_big['queries'] == unit_small['queries'] else 'GROWS'});"
            f" HTML {unit_big['size'] / 1024:.0f} KiB / {unit_small['size'] / 1024:.0f} KiB"
        )
        print(f"Joint-look view, {args.repeat} repeats after a warm-up")
        print(line(f"whole organisation ({counts['look']} rows)", joint_top["times"], TARGET_JOINT_MS))
        print(line(f"one förvaltning ({department_look} rows)", joint_department["times"]))
        print(line(f"one unit ({small_look} rows)", joint_small["times"]))
        queries = [joint_top["queries"], joint_department["queries"], joint_small["queries"]]
        # The top unit has no units above it, so its breadcrumb needs no query: one fewer, not growth.
        constant = queries[1] == queries[2] and queries[0] in (queries[1], queries[1] - 1)
        print(
            f"  queries: {queries[0]} / {queries[1]} / {queries[2]}"
            f" ({'constant; the top unit has no breadcrumb query' if constant else 'GROWS'});"
            f" HTML {joint_top['size'] / 1024:.0f} KiB / {joint_department['size'] / 1024:.0f} KiB"
            f" / {joint_small['size'] / 1024:.0f} KiB"
        )
    finally:
        if "django.db" in sys.modules:  # close Django's connections before the database is dropped
            sys.modules["django.db"].connections.close_all()
        if sqlite_file is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(sqlite_file + suffix).unlink(missing_ok=True)
        elif not args.keep:
            postgres_drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="postgres")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument("--runs", type=int, default=3, help="unchanged analysis reruns")
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--big", type=int, default=100, help="indicators of the unit whose page is timed")
    parser.add_argument("--small", type=int, default=10, help="indicators of the unit compared with it")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument(
        "--no-analyze", action="store_true", help="do not refresh the planner statistics after the bulk load"
    )
    args = parser.parse_args()
    if args.database == "both":
        for database in ("postgres", "sqlite"):
            command = [sys.executable, __file__, "--database", database, "--repeat", str(args.repeat)]
            command += ["--runs", str(args.runs), "--series", str(args.series)]
            command += ["--big", str(args.big), "--small", str(args.small)] + (
                ["--keep"] if args.keep else []
            )
            command += ["--no-analyze"] if args.no_analyze else []
            subprocess.run(command, check=True)  # this very script, another database
            print()
        return
    run(args.database, args)


if __name__ == "__main__":
    main()
