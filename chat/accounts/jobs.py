"""Work too long for a request (a large account's archive, an import), on one
thread of the process; each job records its own outcome in its row."""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections

# Operators filter on this name.
logger = logging.getLogger("chat.accounts")

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accounts")
# The tests that run inside a database transaction, which another thread
# cannot see, run the jobs in the request instead.
INLINE = False


def _run(function, *args):
    try:
        function(*args)
    except Exception:
        logger.exception("%s%r failed", function.__name__, args)
    finally:
        close_old_connections()


def later(function, *args):
    """Run function(*args) on the accounts thread; returns its future."""
    if INLINE:
        return _run(function, *args)
    return _pool.submit(_run, function, *args)
