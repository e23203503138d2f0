"""Speed of "vem kan besluta om …?": full-text search over 10 000 delegation entries in force.

    .venv/bin/python benchmarks/delegation_search.py [--database sqlite|postgres|both] [--entries 10000]
                                                     [--repeat 20]

Builds one organisation in a database of its own (PostgreSQL: the database named by DATABASE_URL, by
default postgres://postgres@127.0.0.1:5432/tillit_bench_delegation, created and dropped here; SQLite: a
temporary file), four nämnder with a register each, and adopts the registers' entries (10 000 in all,
varied Swedish matters, the home-care matter among them) through the import service, which also fills
SQLite's FTS5 index. Then it times `entries_search` for a few questions (best and median of the repeats,
after one warm-up) and `entry_holders` for the first answer. A benchmark, not a test: it prints.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261201
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tillit_bench_delegation"
REGISTERS = 4
QUESTIONS = (
    "vem kan besluta om bistånd till hemtjänst?",
    "hemtjänsten",
    "inköp av IT-utrustning",
    "skolskjuts",
    "Vem får anställa en enhetschef?",
    "4 kap. 1 § SoL",
)

GROUPS = ("Bistånd", "LSS", "Hälso- och sjukvård", "Ekonomi", "Personal", "Skola", "Arbetsmiljö", "Allmänt")
VERBS = ("Beslut om", "Yttrande om", "Avslag på ansökan om", "Ändring av", "Upphörande av", "Inköp av")
SUBJECTS = (
    "bistånd i form av trygghetslarm",
    "korttidsvistelse",
    "ledsagarservice",
    "personlig assistans",
    "skolskjuts vid växelvis boende",
    "förbrukningsmaterial",
    "IT-utrustning",
    "arbetsutrustning",
    "tjänstebilar",
    "avgift för särskilt boende",
    "anställning av medarbetare",
    "ledighet utöver lag och avtal",
    "fördelning av arbetsmiljöuppgifter",
    "utlämnande av allmän handling",
    "bostadsanpassningsbidrag",
    "färdtjänst",
)
LAWS = ("4 kap. 1 § SoL", "9 § 3 LSS", "6 kap. 37 § KL", "10 kap. 32 § skollagen", "12 kap. 12 § LOU", "")
DELEGATES = ("Enhetschef", "Avdelningschef", "Förvaltningschef", "Biståndshandläggare", "Handläggare")


def _postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"test", "postgres"}:
        raise SystemExit(f"Refusing to use the database {name!r}: give the benchmark a database of its own.")
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True), name


def postgres_recreate(url: str, *, create: bool) -> None:
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def register_file(rng: random.Random, count: int, *, with_home_care: bool) -> bytes:
    lines = ["Nr;Ärendegrupp;Ärende;Delegat;Lagrum;Vidaredelegering;Anmälan;Ersättare;Kommentar"]
    if with_home_care:
        lines.append(
            "0;Bistånd;Beslut om bistånd i form av hemtjänst;Biståndshandläggare;4 kap. 1 § SoL;nej;"
            "Månadsvis till nämnden;Enhetschef;"
        )
    for number in range(1, count + 1 - int(with_home_care)):
        matter = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} (ärende {number})"
        lines.append(
            f"{number};{rng.choice(GROUPS)};{matter};{rng.choice(DELEGATES)};{rng.choice(LAWS)};nej;"
            f"Månadsvis till nämnden;;"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(database: str, args) -> None:
    sqlite_file = None
    url = None
    if database == "postgres":
        url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
        if not url.startswith("postgres"):
            url = DEFAULT_POSTGRES
        postgres_recreate(url, create=True)
    else:
        handle, sqlite_file = tempfile.mkstemp(prefix="tillit-bench-", suffix=".sqlite3")
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

        from tillit.accounts.models import User
        from tillit.chain import services as chain_services
        from tillit.chain.access import Access
        from tillit.delegation import services
        from tillit.delegation.selectors import entries_search, entry_holders

        call_command("migrate", verbosity=0)
        organisation = chain_services.organisation_create(name="Benchby kommun", slug="benchby")
        levels = [
            chain_services.level_create(organisation=organisation, name=name, rank=rank)
            for rank, name in enumerate(["Kommun", "Nämnd", "Enhet"])
        ]
        role = chain_services.role_create(organisation=organisation, name="Enhetschef", can_manage=True)
        top = chain_services.unit_create(
            access=None, organisation=organisation, parent=None, level=levels[0], name="Benchby"
        )
        person = User.objects.create_user(
            "chef@benchby.example", None, full_name="Bench Chef", organisation=organisation
        )
        rng = random.Random(SEED)
        per_register = args.entries // REGISTERS
        adopt_seconds = 0.0
        for number in range(REGISTERS):
            board = chain_services.unit_create(
                access=None,
                organisation=organisation,
                parent=top,
                level=levels[1],
                name=f"Nämnd {number + 1}",
            )
            for n in range(5):
                unit = chain_services.unit_create(
                    access=None,
                    organisation=organisation,
                    parent=board,
                    level=levels[2],
                    name=f"Enhet {number}.{n}",
                )
                chain_services.membership_create(
                    access=None, person=person, unit=unit, role=role, title="Enhetschef"
                )
            register = services.register_create(
                actor=person, access=Access.system(), unit=board, name=f"Register {number}"
            )
            content = register_file(rng, per_register, with_home_care=number == 0)
            start = time.perf_counter()
            services.register_file_adopt(
                actor=person,
                access=Access.system(),
                register=register,
                filename="bench.csv",
                content=content,
                decision=f"Beslut {number}",
                adopted_on=date(2026, 1, 1),
            )
            adopt_seconds += time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = per_register * REGISTERS
        print(f"Database: {connection.vendor}; {total} entries in force in {REGISTERS} registers")
        print(f"  adopting them (parse, check, insert, index): {adopt_seconds * 1000:.0f} ms in all")
        for question in QUESTIONS:
            entries_search(organisation_id=organisation.pk, query=question)  # warm-up
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                found = entries_search(
                    organisation_id=organisation.pk, query=question, limit=10, person=person
                )
                times.append((time.perf_counter() - start) * 1000)
            first = found[0].matter if found else "–"
            print(
                f"  search {question!r}: best {min(times):.1f} ms, median {statistics.median(times):.1f} ms;"
                f" first: {first[:60]}"
            )
        entry = entries_search(organisation_id=organisation.pk, query="inköp IT-utrustning")[0]
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            entry_holders(entry=entry, person=person)
            times.append((time.perf_counter() - start) * 1000)
        print(f"  entry_holders: best {min(times):.1f} ms, median {statistics.median(times):.1f} ms")
    finally:
        from django.db import connections

        connections.close_all()
        if sqlite_file:
            Path(sqlite_file).unlink(missing_ok=True)
        elif url:
            postgres_recreate(url, create=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="sqlite")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--database", database]
            command += ["--entries", str(args.entries), "--repeat", str(args.repeat)]
            subprocess.run(command, check=True)  # this very script, another database
            print()
        return
    run(args.database, args)


if __name__ == "__main__":
    main()
