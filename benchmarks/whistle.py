"""Cost of the whistleblowing channel at the production Argon2id cost, on one core.

    .venv/bin/python benchmarks/whistle.py [--megabytes 20] [--sign-ins 5] [--keep]

In a database and a file directory of its own (a temporary SQLite file and directory), with the
WHISTLE_KDF_* settings at their production values (t = 2, m = 64 MiB, p = 1) and the production proof of
work (16 bits), it measures:

  1. submitting a report with one attachment of `--megabytes` MB of random bytes through the real path:
     the report form is fetched on the reporter host, its proof of work solved (in Python; a browser does
     it in JavaScript), and the multipart body posted to Django's WSGI handler from a file on disk, so the
     body is never in memory as a whole: the encrypting upload handler, the form, the throttles,
     `report_submit` (one Argon2id for the receipt), the receipt page;
  2. reading it back as a handler: unlocking the keyring (one Argon2id) and decrypting the whole file,
     checked against the original's SHA-256;
  3. a reporter signing in with the receipt (`reporter_sign_in`: one Argon2id), and with a wrong one.

Each of 1 and 2 runs twice: once for the wall time, and once in a forked child process under
`tracemalloc`, which gives the peak of Python's own allocations and, from the child's `ru_maxrss` against
its resident size when it started, how much the step's peak memory grew (this includes libsodium's
Argon2id memory, allocated in C, which `tracemalloc` does not see). This is a benchmark, not a test: it
prints figures and asserts only that what it read back is what it sent.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "visselblasning.localhost"
BOUNDARY = "tillit-bench-boundary-3f9a"
PRODUCTION_OPSLIMIT = 2
PRODUCTION_MEMLIMIT = 64 * 1024 * 1024
PRODUCTION_POW_BITS = 16


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def maxrss_mib() -> float:
    """The process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_body(path: Path, fields: dict[str, str], file_name: str, megabytes: int) -> tuple[int, str]:
    """A multipart body on disk with the fields and one file of random bytes; (its length, the file's
    SHA-256). Written in 1 MiB pieces: the file is never in memory as a whole."""
    digest = hashlib.sha256()
    with path.open("wb") as body:
        for name, value in fields.items():
            body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            body.write(value.encode("utf-8") + b"\r\n")
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        for _ in range(megabytes):
            piece = os.urandom(1024 * 1024)
            digest.update(piece)
            body.write(piece)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path.stat().st_size, digest.hexdigest()


def post_from_file(path: Path, length: int, url: str) -> tuple[int, bytes]:
    """POST the body on disk through Django's WSGI handler, as a server would hand it over."""
    from django.core.handlers.wsgi import WSGIHandler

    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    with path.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": url,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(length),
            "HTTP_HOST": HOST,
            "SERVER_NAME": HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": stream,
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    return int(status[0].split()[0]), content


def timed(function, *, trace: bool = False):
    """(result, wall seconds, tracemalloc peak in MiB or None)."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = function()
    finally:
        seconds = time.perf_counter() - start
        peak = None
        if trace:
            _current, peak_bytes = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peak = peak_bytes / 1024 / 1024
    return result, seconds, peak


def rss_mib() -> float:
    """The process's resident set size now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def in_child(function):
    """Run `function` in a forked child under tracemalloc: (its result, wall seconds, Python's peak in
    MiB, how much the child's peak resident size grew over its size at the start, in MiB)."""
    from django.db import connections

    connections.close_all()  # the child opens its own
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        start_rss = rss_mib()
        result, seconds, peak = timed(function, trace=True)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start_rss
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump((result, seconds, peak, grown), pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)  # noqa: S301 -- our own forked child's result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=20, help="Size of the attachment (MiB).")
    parser.add_argument("--sign-ins", type=int, default=5, help="Receipt sign-ins to time.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary database and files.")
    args = parser.parse_args()
    pin_to_one_core()

    workdir = Path(tempfile.mkdtemp(prefix="tillit-whistle-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.conf import settings

        settings.WHISTLE_KDF_OPSLIMIT = PRODUCTION_OPSLIMIT
        settings.WHISTLE_KDF_MEMLIMIT = PRODUCTION_MEMLIMIT
        settings.WHISTLE_POW_BITS = PRODUCTION_POW_BITS
        settings.WHISTLE_FILES_DIR = workdir / "files"
        settings.WHISTLE_MAX_FILE_BYTES = max(settings.WHISTLE_MAX_FILE_BYTES, (args.megabytes + 1) << 20)

        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from tests.factories.whistle import PASSPHRASE, whistle_world
        from tillit.whistle import crypto, proof, selectors, throttle
        from tillit.whistle.models import Attachment, Report
        from tillit.whistle.services import common, keys, reports

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        world = whistle_world(slug="bench")  # four keyrings at the production cost
        built = time.perf_counter()
        cost = common.kdf_cost()
        assert crypto.meets_asvs(cost)
        print(
            f"Argon2id t = {cost.opslimit}, m = {cost.memlimit // (1024 * 1024)} MiB, p = 1; proof of work "
            f"{settings.WHISTLE_POW_BITS} bits; one core; SQLite. Setup: migrate {migrated - started:.1f} s, "
            f"a channel with four keyrings {built - migrated:.1f} s; maxrss {maxrss_mib():.0f} MiB."
        )

        form_url = reverse("report:submit", args=[world.channel.slug], urlconf="config.whistle_urls")
        reporter = Client(HTTP_HOST=HOST)

        def fresh_challenge() -> tuple[str, str, float]:
            page = reporter.get(form_url).content.decode()
            challenge = unescape(re.search(r'name="pow_challenge" value="([^"]*)"', page).group(1))
            start = time.perf_counter()
            counter = proof.solve(challenge)
            return challenge, counter, time.perf_counter() - start

        def submit(trace: bool):
            throttle.reset_all()
            challenge, counter, solve_seconds = fresh_challenge()
            fields = {
                "mode": "anonymous",
                "category": world.channel.categories[0],
                "what": "Benchmark: en rapport med en stor bilaga.",
                "where_when": "",
                "who": "",
                "evidence": "",
                "earlier": "",
                "website": "",
                "pow_challenge": challenge,
                "pow_counter": counter,
            }
            body = workdir / "body.bin"
            length, digest = write_body(body, fields, "stor-bilaga.bin", args.megabytes)
            grown = None
            if trace:
                (status, content), seconds, peak, grown = in_child(
                    lambda: post_from_file(body, length, form_url)
                )
            else:
                (status, content), seconds, peak = timed(lambda: post_from_file(body, length, form_url))
            body.unlink()
            assert status == 200, content[:2000]
            receipt = re.sub(
                r"\D", "", re.search(rb'id="receipt">(.*?)</p>', content, re.S).group(1).decode()
            )
            return receipt, digest, seconds, peak, grown, solve_seconds

        receipt, digest, submit_seconds, _none, _no, solve_seconds = submit(trace=False)
        _r2, _d2, traced_submit_seconds, submit_peak, submit_grown, _s = submit(trace=True)
        report = Report.objects.filter(channel=world.channel).order_by("number").first()
        attachment = Attachment.objects.get(report=report)
        stored_size = (Path(settings.WHISTLE_FILES_DIR) / "files" / attachment.stored_name).stat().st_size
        print(
            f"Submit a report with {args.megabytes} MiB: {submit_seconds:.2f} s wall "
            f"({traced_submit_seconds:.2f} s under tracemalloc), Python peak {submit_peak:.1f} MiB, "
            f"peak resident size +{submit_grown:.0f} MiB; stored ciphertext {stored_size / 2**20:.2f} MiB "
            f"(+{stored_size - (args.megabytes << 20)} bytes)."
        )
        solves = [timed(lambda: proof.solve(proof.challenge_new()))[1] for _ in range(20)]
        print(
            f"Proof of work at {proof.challenge_bits(proof.challenge_new())} bits, solved in Python (a browser "
            f"does it in JavaScript): median {statistics.median(solves):.2f} s, max {max(solves):.2f} s of 20; "
            f"in the submissions above {solve_seconds:.2f} s."
        )

        handler = world.handlers[0]

        def read_back():
            private_key = keys.keyring_unlock(person=handler, passphrase=PASSPHRASE)
            report_key = keys.report_key_for(person=handler, private_key=private_key, report=report)
            _meta, chunks = selectors.attachment_read(report, str(attachment.pk), report_key)
            sha, size = hashlib.sha256(), 0
            for chunk in chunks:
                sha.update(chunk)
                size += len(chunk)
            return sha.hexdigest(), size

        (read_digest, read_size), read_seconds, _none = timed(read_back)
        _result, traced_read_seconds, read_peak, read_grown = in_child(read_back)
        assert read_digest == digest, "the file read back differs"
        assert read_size == args.megabytes << 20, "the file read back differs"
        unlock = statistics.median(
            timed(lambda: keys.keyring_unlock(person=handler, passphrase=PASSPHRASE))[1] for _ in range(3)
        )
        print(
            f"Read it back as a handler (unlock + decrypt, SHA-256 checked): {read_seconds:.2f} s wall "
            f"({traced_read_seconds:.2f} s under tracemalloc), of which unlocking the keyring {unlock:.2f} s; "
            f"Python peak {read_peak:.1f} MiB, peak resident size +{read_grown:.0f} MiB."
        )

        rights = [
            timed(lambda: reports.reporter_sign_in(channel=world.channel, receipt=receipt))
            for _ in range(args.sign_ins)
        ]
        assert all(result is not None for result, _s, _p in rights)
        wrong = "0" * 16 if receipt != "0" * 16 else "1" * 16
        wrongs = [
            timed(lambda: reports.reporter_sign_in(channel=world.channel, receipt=wrong))
            for _ in range(args.sign_ins)
        ]
        assert all(result is None for result, _s, _p in wrongs)
        right_ms = [seconds * 1000 for _r, seconds, _p in rights]
        wrong_ms = [seconds * 1000 for _r, seconds, _p in wrongs]
        malformed = timed(lambda: _malformed(reports, world.channel))[1] * 1000
        print(
            f"Receipt sign-in (reporter_sign_in, {args.sign_ins} each): right {statistics.median(right_ms):.0f} ms "
            f"median (min {min(right_ms):.0f}, max {max(right_ms):.0f}), wrong "
            f"{statistics.median(wrong_ms):.0f} ms median; a malformed receipt is refused in {malformed:.3f} ms "
            f"(no Argon2id). Final maxrss {maxrss_mib():.0f} MiB."
        )
    finally:
        if args.keep:
            print(f"Kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _malformed(reports, channel) -> None:
    try:
        reports.reporter_sign_in(channel=channel, receipt="١٢٣٤١٢٣٤١٢٣٤١٢٣٤")
    except reports.MalformedReceiptError:
        return
    raise AssertionError("a malformed receipt was not refused")


if __name__ == "__main__":
    main()
