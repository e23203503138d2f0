"""The reporter host's in-memory rate counters (W-02, W-13): keyed by an HMAC, forgotten after their
window, never keyed by a header the client writes."""

import threading
import time
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tillit.whistle import throttle

pytestmark = pytest.mark.unit


@pytest.fixture
def clock(monkeypatch):
    moment = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: moment[0])
    return moment


def test_a_counter_refuses_beyond_its_limit_until_the_window_ends(clock):
    counter = throttle.Counter("test", limit=3, window=600)
    assert [counter.take("a") for _ in range(4)] == [True, True, True, False]
    assert counter.blocked("a")
    assert not counter.blocked("b")
    clock[0] += 599
    assert counter.blocked("a")
    clock[0] += 2
    assert not counter.blocked("a")
    assert counter.take("a")


def test_give_back_undoes_a_take_and_hit_counts_past_the_limit(clock):
    counter = throttle.Counter("test", limit=1, window=60)
    assert counter.take("a")
    assert not counter.take("a")
    counter.give_back("a")
    assert counter.take("a")
    counter.hit("b")
    counter.hit("b")
    assert counter.count("b") == 2


def test_a_take_may_name_its_own_limit(clock):
    counter = throttle.Counter("test", limit=100, window=60)
    assert counter.take("channel", limit=1)
    assert not counter.take("channel", limit=1)


def test_the_counters_keep_no_address_only_an_hmac(clock):
    counter = throttle.Counter("test", limit=5, window=60)
    counter.hit("203.0.113.77")
    stored = repr(counter._entries)
    assert "203.0.113.77" not in stored
    assert b"203.0.113.77" not in b"".join(counter._entries)
    assert all(len(key) == 16 for key in counter._entries)
    other = throttle.Counter("other", limit=5, window=60)
    other.hit("203.0.113.77")
    assert set(other._entries).isdisjoint(counter._entries)  # each counter its own keys


def test_expired_entries_are_swept_when_the_dictionary_is_full(clock, monkeypatch):
    monkeypatch.setattr(throttle, "_MAX_ENTRIES", 3)
    counter = throttle.Counter("test", limit=5, window=60)
    for address in ("a", "b", "c"):
        counter.hit(address)
    clock[0] += 61
    counter.hit("d")
    assert len(counter._entries) == 1


def test_the_client_key_is_the_peer_address_never_a_forwarded_header():
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert throttle.client_key(forged) == "203.0.113.5"
    assert throttle.client_key(factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert throttle.client_key(factory.get("/", REMOTE_ADDR="::ffff:192.0.2.1")) == "192.0.2.1"
    assert throttle.client_key(factory.get("/", REMOTE_ADDR="")) == ""


def test_behind_a_trusted_proxy_the_address_it_saw_counts_and_nothing_before_it(settings):
    settings.WHISTLE_TRUSTED_PROXIES = ["10.0.0.2"]
    factory = RequestFactory()
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert throttle.client_key(proxied) == "203.0.113.5"  # the forged first entry is ignored
    assert throttle.client_key(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    untrusted = factory.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert throttle.client_key(untrusted) == "10.0.0.3"


def test_reset_all_forgets_every_count():
    throttle.sign_in_failures_by_address.hit("x")
    throttle.reset_all()
    assert throttle.sign_in_failures_by_address.count("x") == 0


# ------------------------------------------------------------------------------------ sign-in races


@pytest.fixture
def sign_in_race(monkeypatch):
    """The inbox's sign-in logic with its pages reduced to their status codes and the receipt check
    replaced by one that holds every caller until `release` is set: what parallel requests do."""
    from tillit.whistle.views import reporter_inbox

    throttle.reset_all()
    entered, release = [], threading.Event()

    def check_held(*, channel, receipt):
        entered.append(receipt)
        release.wait(10)
        return None  # a wrong receipt

    monkeypatch.setattr(reporter_inbox.reports, "reporter_sign_in", check_held)
    monkeypatch.setattr(
        reporter_inbox, "_sign_in_page", lambda request, channel, **kw: HttpResponse(status=400)
    )
    monkeypatch.setattr(reporter_inbox, "too_many", lambda request, channel: HttpResponse(status=429))
    monkeypatch.setattr(reporter_inbox, "busy", lambda request, channel: HttpResponse(status=503))

    def run(addresses: list[str]) -> list[int]:
        channel = SimpleNamespace(pk=7)
        statuses: list[int] = []

        def one(address):
            request = RequestFactory().post("/vissel/inkorg/", REMOTE_ADDR=address)
            statuses.append(reporter_inbox._sign_in(request, channel, {"receipt": "0" * 16}).status_code)

        threads = [threading.Thread(target=one, args=(address,)) for address in addresses]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(entered) + len(statuses) < len(addresses) and time.monotonic() < deadline:
            time.sleep(0.01)  # every request is either in the check or answered
        release.set()
        for thread in threads:
            thread.join(10)
        return sorted(statuses)

    yield SimpleNamespace(run=run, entered=entered)
    release.set()
    throttle.reset_all()


def test_parallel_guesses_from_one_address_get_no_more_checks_than_the_limit(sign_in_race, monkeypatch):
    monkeypatch.setattr(throttle.sign_in_failures_by_address, "limit", 3)
    statuses = sign_in_race.run(["203.0.113.9"] * 8)
    assert len(sign_in_race.entered) == 3
    assert statuses == [400] * 3 + [429] * 5
    assert throttle.sign_in_failures_by_address.count("203.0.113.9") == 3


def test_only_a_few_argon2_checks_run_at_once_and_the_rest_are_told_to_wait(sign_in_race, monkeypatch):
    monkeypatch.setattr(throttle, "argon2_slots", threading.BoundedSemaphore(2))
    monkeypatch.setattr(throttle, "ARGON2_WAIT_SECONDS", 0.3)
    addresses = [f"192.0.2.{n}" for n in range(5)]
    statuses = sign_in_race.run(addresses)
    assert len(sign_in_race.entered) == 2
    assert statuses == [400, 400, 503, 503, 503]
    # A request turned away unchecked is no failed attempt: its slots were given back.
    assert sum(throttle.sign_in_failures_by_address.count(address) for address in addresses) == 2
    assert throttle.sign_in_failures_by_channel.count("7") == 2


def test_the_argon2_slots_are_bounded_by_default():
    assert throttle.ARGON2_AT_ONCE == 4
    assert isinstance(throttle.argon2_slots, type(threading.BoundedSemaphore()))
    with throttle.argon2_slot():
        pass
    with pytest.raises(ValueError, match="released too many times"):
        throttle.argon2_slots.release()  # every slot was given back: one more release is refused
