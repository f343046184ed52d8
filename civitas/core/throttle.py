"""Rate limits for public forms (registration, sign-in, comments, survey answers), kept in the
shared cache so that every app server counts together when CACHE_URL points at Redis."""

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False when more than ``limit`` happened in ``window`` seconds."""
    cache_key = f"throttle:{key}"
    if cache.add(cache_key, 1, window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window)
        return True
    return count <= limit


def blocked(key: str, *, limit: int) -> bool:
    """True when ``key`` is already over its limit (without counting another attempt)."""
    return (cache.get(f"throttle:{key}") or 0) >= limit


def reset(key: str) -> None:
    cache.delete(f"throttle:{key}")
