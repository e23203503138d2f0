"""Speed of a whole trust pulse on a real database: 3 000 units, 50 000 invited people, on one core.

    .venv/bin/python benchmarks/pulse.py [--database sqlite|postgres|both] [--units 3000] [--people 50000]
                                         [--sample 1000] [--keep]

Builds one organisation in a database of its own (PostgreSQL: the database named by DATABASE_URL, by
default postgres://postgres@127.0.0.1:5432/pulse_bench, created and dropped here; SQLite: a temporary
file): a random unit tree of depth 5 (one top unit, each level about 7.5 times wider), the people spread
over the units with lognormal unit sizes, each unit with a manager. Then it times, through the services:

  1. `pulse_open`: the frame of 3 000 units, frozen;
  2. `pulse_invitations_send`: 50 000 tokens, their shuffled hashes, the empty answer slots, the inbox
     notifications (the tokens go to a `deliver` callback instead of 50 000 e-mails);
  3. answering: about 85 % of the people answer (5 % "vet inte" per item), written in bulk as the
     answers would leave them, except a sample answered one by one through `pulse_answer` (ms per answer);
  4. `pulse_close`: the disclosure control with its residual and differencing checks, the frozen cells,
     the empty slots dropped and every row re-stamped (target < 10 s on one core), with the time of each
     part; then the task that tells the frame's people the results are out.

This is a benchmark, not a test: it prints figures and asserts only that the results are there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261203
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/pulse_bench"
TARGET_CLOSE_SECONDS = 10.0
TARGET_ANSWER_MS = 100.0
RESPONSE_RATE = 0.85
DONT_KNOW_SHARE = 0.05


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


# --- The database of its own -----------------------------------------------------------------------


def _postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"test", "postgres"}:
        raise SystemExit(f"Refusing to use the database {name!r}: give the benchmark a database of its own.")
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True), name


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


def tree_parents(units: int, rng: np.random.Generator) -> np.ndarray:
    """Parents of a random tree: one top unit and four levels below it, each about 7.5 times wider."""
    widths = np.array([1, 7.5, 7.5**2, 7.5**3, 7.5**4])
    sizes = np.maximum(np.round(widths / widths.sum() * units).astype(np.int64), 1)
    sizes[0] = 1
    sizes[-1] += units - sizes.sum()
    parent = np.full(units, -1, dtype=np.int64)
    start = 1
    previous = np.array([0])
    for size in sizes[1:]:
        level = np.arange(start, start + size)
        parent[level] = rng.choice(previous, size=size)
        previous, start = level, start + size
    return parent


def build(*, units: int, people: int):
    """The organisation, its tree and its people, written in bulk (setup, not what is measured)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tillit.chain import services as chain
    from tillit.chain.access import Access
    from tillit.chain.models import Membership, Unit

    rng = np.random.default_rng(SEED)
    organisation = chain.organisation_create(name="Pulsby kommun", slug="pulsby")
    system = Access.system(organisation.pk)
    levels = [
        chain.level_create(access=system, organisation=organisation, name=name, rank=rank)
        for rank, name in enumerate(("Kommun", "Förvaltning", "Avdelning", "Enhet", "Grupp"))
    ]
    manager_role = chain.role_create(
        access=system, organisation=organisation, name="Chef", can_write=True, can_manage=True
    )
    staff_role = chain.role_create(
        access=system, organisation=organisation, name="Medarbetare", can_write=True
    )

    parent = tree_parents(units, rng)
    depth = np.zeros(units, dtype=np.int64)
    for i in range(1, units):
        depth[i] = depth[parent[i]] + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM chain_unit")
        first_id = cursor.fetchone()[0] + 1
    ids = first_id + np.arange(units)
    paths: list[str] = []
    for i in range(units):
        paths.append((paths[parent[i]] if parent[i] >= 0 else "/") + f"{ids[i]}/")
    rows = [
        Unit(
            id=int(ids[i]),
            organisation=organisation,
            parent_id=int(ids[parent[i]]) if parent[i] >= 0 else None,
            level=levels[int(depth[i])],
            name=f"Enhet {i:04d}",
            depth=int(depth[i]),
            path=paths[i],
        )
        for i in range(units)
    ]
    Unit.objects.bulk_create(rows, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('chain_unit', 'id'), (SELECT MAX(id) FROM chain_unit))"
            )
    top = rows[0]

    # People: every unit a manager, the rest spread lognormally (a few large units, many small).
    weights = rng.lognormal(mean=0.0, sigma=0.9, size=units)
    staff = rng.choice(units, size=people - units, p=weights / weights.sum())
    unit_of = np.concatenate([np.arange(units), staff])
    user_model = get_user_model()
    persons = [
        user_model(
            email=f"person{i:06d}@pulsby.example",
            full_name=f"Person {i:06d}",
            organisation=organisation,
            password="!",  # noqa: S106 (an unusable password: no one signs in)
        )
        for i in range(people)
    ]
    persons = user_model.objects.bulk_create(persons, batch_size=2000)
    Membership.objects.bulk_create(
        [
            Membership(
                organisation=organisation,
                person=person,
                unit_id=int(ids[unit_of[i]]),
                role=manager_role if i < units else staff_role,
            )
            for i, person in enumerate(persons)
        ],
        batch_size=2000,
    )
    return {"organisation": organisation, "top": top, "manager": persons[0], "system": system, "rng": rng}


def answers_for(items: list[str], rng: np.random.Generator, mean: float) -> dict[str, int]:
    values = np.clip(np.round(rng.normal(mean, 1.0, size=len(items))), 1, 5).astype(int)
    dont_know = rng.random(len(items)) < DONT_KNOW_SHARE
    return {
        code: 0 if skip else int(value) for code, value, skip in zip(items, values, dont_know, strict=True)
    }


def answer_in_bulk(pulse, tokens: dict, answering: list, rng: np.random.Generator) -> int:
    """Leave the database as `pulse_answer` would for these people: their invitations used, as many
    empty slots of their unit filled, at random. Written in bulk (setup for the close)."""
    from tillit.pulse.models import Invitation, Response
    from tillit.pulse.services.rounds import invitees
    from tillit.pulse.tokens import token_hash

    unit_of_person = invitees(pulse)
    unit_means = {}
    per_unit: dict[int, list[dict]] = {}
    for person_id in answering:
        unit_id = unit_of_person[person_id]
        mean = unit_means.setdefault(unit_id, float(rng.normal(3.6, 0.5)))
        per_unit.setdefault(unit_id, []).append(answers_for(pulse.items, rng, mean))
    hashes = [token_hash(tokens[person_id]) for person_id in answering]
    for start in range(0, len(hashes), 900):
        Invitation.objects.filter(token_hash__in=hashes[start : start + 900]).update(used=True)
    slots: dict[int, list] = {}
    for slot_id, unit_id in Response.objects.filter(pulse=pulse).values_list("id", "pulse_unit_id"):
        slots.setdefault(unit_id, []).append(slot_id)
    taken, filled = [], []
    for unit_id, given in per_unit.items():
        chosen = rng.choice(len(slots[unit_id]), size=len(given), replace=False)
        taken += [slots[unit_id][i] for i in chosen]
        filled += [Response(pulse=pulse, pulse_unit_id=unit_id, answers=answers) for answers in given]
    for start in range(0, len(taken), 900):
        Response.objects.filter(pk__in=taken[start : start + 900]).delete()
    Response.objects.bulk_create(filled, batch_size=2000)
    return len(filled)


# --- Measuring -------------------------------------------------------------------------------------


class Stopwatch:
    def __init__(self):
        self.parts: dict[str, list[float]] = {}

    @contextmanager
    def part(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.parts.setdefault(name, []).append(time.perf_counter() - start)

    def wrap(self, module, name: str, label: str):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            with self.part(label):
                return original(*args, **kwargs)

        setattr(module, name, timed)
        return original


def timed(function):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def run(database: str, args) -> None:
    sqlite_file = None
    if database == "postgres":
        url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
        if not url.startswith("postgres"):
            url = DEFAULT_POSTGRES
        postgres_create(url)
    else:
        handle, sqlite_file = tempfile.mkstemp(prefix="tillit-pulse-bench-", suffix=".sqlite3")
        os.close(handle)
        url = f"sqlite:///{sqlite_file}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from tillit.core.clock import today
        from tillit.core.tasks import deferred
        from tillit.notifications.models import Notification
        from tillit.pulse import services
        from tillit.pulse.models import Invitation, PulseCell, PulseUnit, Response
        from tillit.pulse.services import results as results_module

        answer_page = "/puls/svara/"

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        data = build(units=args.units, people=args.people)
        built = time.perf_counter()
        rng, system, manager = data["rng"], data["system"], data["manager"]

        def statistics_refresh():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

        statistics_refresh()
        pulse = services.pulse_create(
            actor=manager,
            access=system,
            scope=data["top"],
            title="Tillitspuls benchmark",
            closes_on=today() + timedelta(days=14),
        )
        with deferred():  # the invitation task is run here, below, and timed on its own
            _pulse, open_seconds, _cpu = timed(
                lambda: services.pulse_open(actor=manager, access=system, pulse=pulse)
            )
        tokens: dict[int, str] = {}

        def deliver(person, token):
            tokens[person.pk] = token

        invited, send_seconds, send_cpu = timed(
            lambda: services.pulse_invitations_send(pulse_id=pulse.pk, deliver=deliver)
        )
        pulse.refresh_from_db()
        statistics_refresh()

        people = sorted(tokens)
        answering = [person_id for person_id in people if rng.random() < RESPONSE_RATE]
        order = rng.permutation(len(answering))
        sample = [answering[i] for i in order[: args.sample]]
        bulk = [answering[i] for i in order[args.sample :]]
        _n, bulk_seconds, _cpu = timed(lambda: answer_in_bulk(pulse, tokens, bulk, rng))
        statistics_refresh()

        per_answer = []
        per_answer_cpu = []
        for person_id in sample:
            answers = answers_for(pulse.items, rng, 3.6)
            _none, seconds, cpu = timed(
                lambda person_id=person_id, answers=answers: services.pulse_answer(
                    token=tokens[person_id], answers=answers
                )
            )
            per_answer.append(seconds * 1000)
            per_answer_cpu.append(cpu * 1000)
        # The answer page as a person meets it (Django's test client, no network): the code step renders
        # the questions, the answer step stores and thanks. Codes of people who have not answered.
        page_client = Client(SERVER_NAME="localhost")
        answering_set = set(answering)
        unused = [person_id for person_id in people if person_id not in answering_set][
            : max(args.sample // 5, 20)
        ]
        page_questions, page_answer = [], []
        for person_id in unused:
            _r, seconds, _cpu = timed(
                lambda person_id=person_id: page_client.post(
                    answer_page, {"step": "code", "code": tokens[person_id]}
                )
            )
            page_questions.append(seconds * 1000)
            form = {"step": "answer", "token": tokens[person_id]}
            form |= {f"q_{code}": str(value) for code, value in answers_for(pulse.items, rng, 3.6).items()}
            response, seconds, _cpu = timed(lambda form=form: page_client.post(answer_page, form))
            assert response.status_code == 200
            page_answer.append(seconds * 1000)
        answered = Response.objects.filter(pulse=pulse, answers__isnull=False).count()
        statistics_refresh()

        watch = Stopwatch()
        watch.wrap(results_module, "_results_freeze", "disclosure control and frozen cells")
        watch.wrap(results_module, "_participation_forget", "empty slots dropped, rows re-stamped")
        watch.wrap(results_module, "rows_insert", "  of which the cells written")
        watch.wrap(results_module.disclosure, "cell_table", "  of which cell_table (numpy)")
        watch.wrap(results_module.disclosure, "publishable", "  of which publishable (numpy)")
        _closed, close_seconds, close_cpu = timed(
            lambda: services.pulse_close(actor=manager, access=system, pulse=pulse)
        )

        told, notify_seconds, _cpu = timed(
            lambda: services.pulse_published_notify(pulse_id=pulse.pk, actor_id=manager.pk)
        )

        frame = PulseUnit.objects.filter(pulse=pulse).count()
        cells = PulseCell.objects.filter(pulse=pulse).count()
        published = PulseCell.objects.filter(pulse=pulse, published=True).count()
        shown_units = PulseUnit.objects.filter(pulse=pulse, respondents_low__gte=5).count()
        assert cells == frame * len(pulse.items)
        assert not Response.objects.filter(pulse=pulse, answers__isnull=True).exists()
        assert not Invitation.objects.filter(pulse=pulse, used=False).exists()

        server = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                server = f" {cursor.fetchone()[0]}"
        print(
            f"Pulse benchmark on {connection.vendor}{server}, {timezone.localdate().isoformat()}, pinned to one"
            f" of {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"
        )
        print(
            f"  data: {frame} units in the frame, {invited} invited, {answered} answered"
            f" ({100 * answered / invited:.0f} %), {len(pulse.items)} items;"
            f" migrate {migrated - start:.1f} s, build {built - migrated:.1f} s, bulk answers {bulk_seconds:.1f} s"
        )
        print(f"  pulse_open (frame of {frame} units)            {open_seconds * 1000:8.0f} ms")
        print(
            f"  pulse_invitations_send ({invited} tokens)     {send_seconds * 1000:8.0f} ms"
            f" (CPU {send_cpu * 1000:.0f} ms; {Notification.objects.filter(kind='pulse.invited').count()}"
            " inbox notifications)"
        )
        print(
            f"  pulse_answer, {len(per_answer)} one by one           median {statistics.median(per_answer):6.2f} ms,"
            f" p95 {np.percentile(per_answer, 95):6.2f} ms, max {max(per_answer):6.2f} ms"
            f" (CPU median {statistics.median(per_answer_cpu):.2f} ms)"
        )
        for label, times in (("the code step", page_questions), ("the answer step", page_answer)):
            print(
                f"  answer page, {label} ({len(times)} requests)    median {statistics.median(times):6.2f} ms,"
                f" p95 {np.percentile(times, 95):6.2f} ms (target < 100 ms)"
            )
        verdict = "met" if close_seconds < TARGET_CLOSE_SECONDS else "MISSED"
        print(
            f"  pulse_close                                 {close_seconds * 1000:8.0f} ms"
            f" (CPU {close_cpu * 1000:.0f} ms)  target < {TARGET_CLOSE_SECONDS:.0f} s: {verdict}"
        )
        for label in (
            "disclosure control and frozen cells",
            "  of which cell_table (numpy)",
            "  of which publishable (numpy)",
            "  of which the cells written",
            "empty slots dropped, rows re-stamped",
        ):
            print(f"    {label:<42}{sum(watch.parts.get(label, [0])) * 1000:8.0f} ms")
        print(f"  pulse_published_notify (task, {told} told)     {notify_seconds * 1000:8.0f} ms")
        print(
            f"  results: {published} of {cells} cells published ({100 * published / cells:.0f} %),"
            f" {shown_units} of {frame} units show a respondent band"
        )
    finally:
        if database == "postgres" and not args.keep:
            from django.db import connections

            connections.close_all()
            postgres_drop(url)
        if sqlite_file and not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(sqlite_file + suffix).unlink(missing_ok=True)
        elif sqlite_file:
            print(f"  kept {sqlite_file}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--no-pin", action="store_true", help="Do not pin the process to one core.")
    args = parser.parse_args()
    if not args.no_pin:
        pin_to_one_core()
    if args.database == "both":
        import subprocess

        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--database", database, "--units", str(args.units)]
            command += ["--people", str(args.people), "--sample", str(args.sample)]
            command += ["--keep"] if args.keep else []
            command += ["--no-pin"] if args.no_pin else []
            subprocess.run(command, check=True)
        return
    run(args.database, args)


if __name__ == "__main__":
    main()
