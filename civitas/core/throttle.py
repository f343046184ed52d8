"""Rate limits for public forms (registration, sign-in, password reset, proposals, posts, survey
answers). Counters live in the ``throttle`` cache alias, which every worker and server shares (a
database table by default, Redis with CACHE_URL), and count per client: behind a trusted reverse
proxy the client is read from X-Forwarded-For, and an IPv6 client counts per /64 network."""

import base64
import functools
import hashlib
import ipaddress
import pickle
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, router, transaction
from django.utils.timezone import now as tz_now

ALIAS = "throttle"
IPV6_PREFIX = 64  # one household or server gets a whole /64: its addresses are one client
ATTEMPTS = 50  # compare-and-set rounds before giving up on an increment (only under contention)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


# --- Who is the client -------------------------------------------------------------------------


UNIX = "unix"  # in CIVITAS_TRUSTED_PROXIES: a proxy on a local socket (no REMOTE_ADDR) is trusted


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies if proxy != UNIX)


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The networks of CIVITAS_TRUSTED_PROXIES (settings.py checks that each one parses)."""
    return _networks(tuple(getattr(settings, "CIVITAS_TRUSTED_PROXIES", ())))


def _parse(text: str) -> Address | None:
    """An address as a proxy writes it ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:80", "::1"), or
    None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks) -> bool:
    return any(address in network for network in networks)


def _label(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        # From the integer, so that a zone ("%eth0") cannot make one client look like several.
        return str(ipaddress.IPv6Network((int(address), IPV6_PREFIX), strict=False))
    return str(address)


def client_address(request) -> str:
    """The client a limit counts: REMOTE_ADDR, or, when REMOTE_ADDR is a trusted proxy, the
    right-most address of X-Forwarded-For that is not itself a trusted proxy. Each proxy appends the
    address it saw, so everything left of that one was written by the client and is ignored; a
    malformed entry ends the walk (nothing left of it can be trusted). IPv6 clients are /64s. A
    request through a local socket has no REMOTE_ADDR: its proxy is trusted when the setting
    names "unix"."""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_proxies()
    if remote is None:
        if request.META.get("REMOTE_ADDR") or UNIX not in getattr(settings, "CIVITAS_TRUSTED_PROXIES", ()):
            return "unknown"
    elif not _is_trusted(remote, networks):
        return _label(remote)
    client = remote
    for entry in reversed((request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        hop = _parse(entry)
        if hop is None:
            break
        client = hop
        if not _is_trusted(hop, networks):
            break
    return "unknown" if client is None else _label(client)


# --- Counting ----------------------------------------------------------------------------------


def _key(key: str) -> str:
    # Hashed: keys hold e-mail addresses and sign-in names (personal data, any length, any
    # characters), and the cache table's key column takes 255 characters.
    return "throttle:" + hashlib.sha256(key.encode()).hexdigest()


class CounterCache(DatabaseCache):
    """The database cache with an increment that loses no hit when several processes count at once
    (Django's DatabaseCache.incr reads, adds and writes back: two workers can both write n + 1).

    Each increment is a compare-and-set: UPDATE … WHERE value = <the value read>, retried when
    another process got there first; a window starts by resetting an expired row or inserting a
    new one, whose unique key lets only one process win."""

    def count(self, key: str, window: int) -> int:
        """Count one hit under ``key`` in a window of ``window`` seconds; the hits so far in it."""
        key = self.make_and_validate_key(key)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table_name: str = self._table  # type: ignore[attr-defined]  # set by DatabaseCache
        table, cache_key, value, expires = (quote(table_name), quote("cache_key"), quote("value"),
                                            quote("expires"))  # fmt: skip
        for _attempt in range(ATTEMPTS):
            moment = tz_now().replace(microsecond=0)
            now = connection.ops.adapt_datetimefield_value(moment)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {value} FROM {table} WHERE {cache_key} = %s AND {expires} > %s", [key, now]
                )
                row = cursor.fetchone()
                if row is not None:
                    current = connection.ops.process_clob(row[0])
                    count = self._decode(current) + 1
                    cursor.execute(
                        f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s AND {value} = %s "
                        f"AND {expires} > %s",
                        [self._encode(count), key, current, now],
                    )
                    if cursor.rowcount == 1:
                        return count
                    continue
                until = connection.ops.adapt_datetimefield_value(moment + timedelta(seconds=window))
                cursor.execute(
                    f"UPDATE {table} SET {value} = %s, {expires} = %s WHERE {cache_key} = %s "
                    f"AND {expires} <= %s",
                    [self._encode(1), until, key, now],
                )
                if cursor.rowcount == 1:
                    return 1
                # A new counter: first clear the counters whose window is over, which nobody reads.
                cursor.execute(f"DELETE FROM {table} WHERE {expires} <= %s", [now])
                try:
                    with transaction.atomic(using=db):
                        cursor.execute(
                            f"INSERT INTO {table} ({cache_key}, {value}, {expires}) VALUES (%s, %s, %s)",
                            [key, self._encode(1), until],
                        )
                except IntegrityError:
                    continue  # another process started the window: count in it
                return 1
        raise RuntimeError(f"throttle counter {key} could not be updated")

    def _encode(self, number: int) -> str:
        # As DatabaseCache stores values, so that get() reads the count.
        return base64.b64encode(pickle.dumps(number, self.pickle_protocol)).decode("latin1")

    @staticmethod
    def _decode(stored: str) -> int:
        number = pickle.loads(base64.b64decode(stored.encode()))
        return number if isinstance(number, int) else 0


def create_counter_table(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After ``migrate``: the counters' table, as ``manage.py createcachetable`` creates it (nothing
    when it exists or the counters are in Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


def _count(key: str, window: int) -> int:
    store = caches[ALIAS]
    if isinstance(store, CounterCache):
        return store.count(key, window)
    if isinstance(store, RedisCache):
        # SET NX with the expiry and INCR in one MULTI: a counter never outlives its window (an INCR
        # on a key that just expired would create one without expiry).
        redis_key = store.make_and_validate_key(key)
        pipeline = store._cache.get_client(redis_key, write=True).pipeline(transaction=True)
        pipeline.set(redis_key, 0, ex=window, nx=True)
        pipeline.incr(redis_key)
        return int(pipeline.execute()[1])
    # Any other backend (a process cache in development): its own add and incr.
    if store.add(key, 1, window):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, window)
        return 1


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False when more than ``limit`` happened in ``window`` seconds."""
    return _count(_key(key), window) <= limit


def blocked(key: str, *, limit: int) -> bool:
    """True when ``key`` is already over its limit (without counting another attempt)."""
    return (caches[ALIAS].get(_key(key)) or 0) >= limit


def reset(key: str) -> None:
    caches[ALIAS].delete(_key(key))
