"""Per-address limits for the public share pages: a link posted publicly must
not take the server down. A fixed one-minute window counted in Django's cache
(Redis when REDIS_URL is set, so every process shares the count)."""

import time

from django.conf import settings
from django.core.cache import cache


def seconds_to_wait(request):
    """None if this request may go ahead; else the seconds until it may."""
    limit = settings.SHARE_REQUESTS_PER_MINUTE
    if not limit:
        return None
    moment = time.time()
    # REMOTE_ADDR is the client's, behind TRUSTED_PROXIES too (chat/ops/client_address.py).
    key = f"share-rate:{request.META.get('REMOTE_ADDR', '')}:{int(moment // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        return max(1, 60 - int(moment % 60))
    return None
