"""Per-address limits for the public share pages: a link posted publicly must
not take the server down. A fixed one-minute window counted in Django's cache
(Redis when REDIS_URL is set, so every process shares the count)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The visitor's address: behind TRUSTED_PROXIES proxies, the one the
    outermost trusted proxy saw (X-Forwarded-For); else REMOTE_ADDR."""
    if settings.TRUSTED_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.TRUSTED_PROXIES:
            return hops[-settings.TRUSTED_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def seconds_to_wait(request):
    """None if this request may go ahead; else the seconds until it may."""
    limit = settings.SHARE_REQUESTS_PER_MINUTE
    if not limit:
        return None
    moment = time.time()
    key = f"share-rate:{client_address(request)}:{int(moment // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        return max(1, 60 - int(moment % 60))
    return None
