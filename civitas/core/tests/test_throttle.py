"""Rate limits count per client, in a store every process shares, and lose no hit when processes
count at once (core/throttle.py)."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from civitas.core import throttle

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.CIVITAS_TRUSTED_PROXIES = [PROXY, "192.168.0.0/24"]


def test_client_behind_a_trusted_proxy_is_read_from_x_forwarded_for(behind_proxy):
    assert throttle.client_address(request_from(PROXY, "203.0.113.5")) == "203.0.113.5"
    # What the client wrote itself (left of the address the proxy saw) does not count.
    assert throttle.client_address(request_from(PROXY, "6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    # Two trusted proxies in a row: the client is the right-most address that is not one of them.
    assert throttle.client_address(request_from(PROXY, "1.1.1.1, 203.0.113.5, 192.168.0.7")) == "203.0.113.5"
    # Ports as some proxies write them.
    assert throttle.client_address(request_from(PROXY, "203.0.113.5:4711")) == "203.0.113.5"
    assert throttle.client_address(request_from(PROXY, "[2001:db8::1]:443")) == "2001:db8::/64"


def test_x_forwarded_for_from_an_untrusted_address_is_ignored(behind_proxy):
    assert throttle.client_address(request_from("198.51.100.7", "203.0.113.5")) == "198.51.100.7"
    assert throttle.client_address(request_from("198.51.100.7")) == "198.51.100.7"


def test_without_trusted_proxies_the_header_never_counts():
    assert throttle.client_address(request_from(PROXY, "203.0.113.5")) == PROXY


def test_malformed_forwarded_entries_are_never_a_client(behind_proxy):
    # Garbage ends the walk at the last trusted hop: nothing left of it can be trusted.
    assert throttle.client_address(request_from(PROXY, "203.0.113.5, unknown")) == PROXY
    assert throttle.client_address(request_from(PROXY, "")) == PROXY
    assert throttle.client_address(request_from(PROXY, "1.1.1.1, , 192.168.0.7")) == "192.168.0.7"
    assert throttle.client_address(request_from("not an address", "203.0.113.5")) == "unknown"


def test_an_ipv6_client_counts_per_64_network():
    first = throttle.client_address(request_from("2001:db8:1:2::1"))
    assert (
        first
        == throttle.client_address(request_from("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        == "2001:db8:1:2::/64"
    )
    assert throttle.client_address(request_from("2001:db8:1:3::1")) != first
    assert throttle.client_address(request_from("::ffff:203.0.113.5")) == "203.0.113.5"


def test_counters_are_shared_by_every_process(monkeypatch):
    """Two cache objects on the configured store (as two workers have) see one count; a cache in
    each process's memory would not."""
    first, second = caches.create_connection(throttle.ALIAS), caches.create_connection(throttle.ALIAS)
    assert isinstance(first, DatabaseCache) and first is not second
    assert isinstance(caches["default"], LocMemCache)  # the page cache stays in each process
    monkeypatch.setattr(throttle, "caches", {throttle.ALIAS: first})
    assert throttle.hit("login-name:ivan", limit=3, window=60)
    assert throttle.hit("login-name:ivan", limit=3, window=60)
    monkeypatch.setattr(throttle, "caches", {throttle.ALIAS: second})
    assert throttle.hit("login-name:ivan", limit=3, window=60)
    assert throttle.blocked("login-name:ivan", limit=3)
    assert not throttle.hit("login-name:ivan", limit=3, window=60)
    monkeypatch.setattr(throttle, "caches", {throttle.ALIAS: first})
    assert throttle.blocked("login-name:ivan", limit=3)
    throttle.reset("login-name:ivan")
    monkeypatch.setattr(throttle, "caches", {throttle.ALIAS: second})
    assert not throttle.blocked("login-name:ivan", limit=3)


def test_a_hit_counted_by_another_process_meanwhile_is_not_lost(settings):
    """Another worker counts between this one's read and its write: Django's DatabaseCache.incr
    (read, add one, write back) would store 2 here; the compare-and-set stores 3."""
    other = caches.create_connection(throttle.ALIAS)

    class Interrupted(throttle.CounterCache):
        interrupted = False

        def _decode(self, stored):
            if not self.interrupted:
                self.interrupted = True
                other.count("k", 60)
            return super()._decode(stored)

    this = Interrupted(settings.CACHES[throttle.ALIAS]["LOCATION"], {})
    assert this.count("k", 60) == 1
    assert this.count("k", 60) == 3
    assert other.count("k", 60) == 4


def test_a_window_that_is_over_starts_again(monkeypatch):
    import datetime

    store = caches.create_connection(throttle.ALIAS)
    assert [store.count("k", 60) for _ in range(3)] == [1, 2, 3]
    later = throttle.tz_now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(throttle, "tz_now", lambda: later)
    assert [store.count("k", 60) for _ in range(2)] == [1, 2]


def test_long_keys_and_any_characters_are_stored():
    name = "ivan petrov " * 100 + "\n☃"
    for _ in range(3):
        throttle.hit(f"login-name:{name}", limit=2, window=60)
    assert throttle.blocked(f"login-name:{name}", limit=2)
    assert len(throttle._key(f"login-name:{name}")) < 255  # the cache table's key column


def test_migrate_creates_the_counters_table(settings):
    """A deployment that only runs `migrate` (without `createcachetable`) has the table."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    table = settings.CACHES[throttle.ALIAS]["LOCATION"]
    with connection.cursor() as cursor:  # in the test's transaction: rolled back after it
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert table in connection.introspection.table_names()
    assert throttle.hit("register:203.0.113.5", limit=1, window=60)


def test_a_proxy_on_a_local_socket_is_trusted_only_when_named(settings):
    """gunicorn on a unix socket gives no REMOTE_ADDR."""
    assert throttle.client_address(request_from("", "203.0.113.5")) == "unknown"
    settings.CIVITAS_TRUSTED_PROXIES = ["unix", PROXY]
    assert throttle.client_address(request_from("", "6.6.6.6, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"
    assert throttle.client_address(request_from("")) == "unknown"
    assert throttle.client_address(request_from("garbage", "203.0.113.5")) == "unknown"
