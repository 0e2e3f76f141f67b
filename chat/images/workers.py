"""Decoding images in bounded workers: at most IMAGE_WORKERS images are decoded
at once in a process, within IMAGE_DECODE_BUDGET bytes of pixels, and at most
IMAGE_WORKERS_WAITING more wait; past that the request is refused with "busy,
try again" (`Busy`, a 503 with Retry-After for the views).

Every decode of a person's bytes goes through here: uploads, fetched URLs,
crops, images a model generated, the derivatives made ahead. Six concurrent
uploads of a 7000×7000 PNG took a process from 530 MB to 4.5 GB when each
request decoded on its own thread (issue 17).

A decode's cost is reserved before a pixel is allocated: width × height × 4
bytes from the header (Pillow keeps RGB and RGBA in 4 bytes a pixel), the
most one decoded frame holds. A job whose cost is over the whole budget runs
alone.

    prepared = workers.call(data, intake.prepare, name="cat.png")          # sync code
    checked = await workers.run(data, intake.check_image, name="generated image")
"""

import asyncio
import ctypes
import io
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import translation
from PIL import Image

BYTES_PER_PIXEL = 4
M_MMAP_THRESHOLD = -3  # mallopt's parameter, from glibc's malloc.h


class Busy(Exception):
    """Too many images are being decoded in this process; `message` says to retry."""

    reason = "busy"  # for the metrics
    retry_after = 5

    def __init__(self):
        self.message = (
            "The server is busy with other images right now; "
            f"try again in {self.retry_after} seconds."
        )
        super().__init__(self.message)


def decode_cost(data):
    """Bytes of pixels decoding `data` may take, from its header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return float("inf")  # refused by the check; reserve everything meanwhile
    except Exception:  # not an image: the job itself says so, at no cost
        return 0
    return width * height * BYTES_PER_PIXEL


class Workers:
    def __init__(self, threads, budget, waiting):
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="images")
        self.budget, self.free = budget, budget
        self.most_jobs = threads + waiting
        self.jobs = 0  # submitted and not finished
        self.condition = threading.Condition()

    def submit(self, data, fn, *args, refuse_when_busy=True, copies=1, **kwargs):
        """A Future of fn(data, *args, **kwargs), run within the budget; raises Busy
        when too many wait, unless the work cannot be refused (an answer's images).
        `copies`: how many full-size images `fn` holds at once (a crop: two)."""
        with self.condition:
            if refuse_when_busy and self.jobs >= self.most_jobs:
                raise Busy()
            self.jobs += 1
        try:
            # A refusal the job raises is a sentence in the asker's language; a
            # pool's thread starts with none active.
            language = translation.get_language()
            return self.pool.submit(self._job, data, copies, fn, args, kwargs, language)
        except BaseException:
            self._finished()
            raise

    def call(self, data, fn, *args, **kwargs):
        """fn(data, ...) in a worker, for sync code (a view's own thread waits)."""
        return self.submit(data, fn, *args, **kwargs).result()

    async def run(self, data, fn, *args, **kwargs):
        """fn(data, ...) in a worker, for async code; `refuse_when_busy=False`
        waits its turn however many wait."""
        return await asyncio.wrap_future(self.submit(data, fn, *args, **kwargs))

    def _job(self, data, copies, fn, args, kwargs, language):
        try:
            cost = min(decode_cost(data) * copies, self.budget)
            with self.condition:
                self.condition.wait_for(lambda: self.free >= cost)
                self.free -= cost
            try:
                with translation.override(language):
                    return fn(data, *args, **kwargs)
            finally:
                with self.condition:
                    self.free += cost
                    self.condition.notify_all()
        finally:
            self._finished()

    def _finished(self):
        with self.condition:
            self.jobs -= 1


def return_freed_memory():
    """Have freed pixels go back to the system. Pillow allocates images in
    16 MB blocks; glibc serves the first from mmap and returns them on free,
    but then raises its mmap threshold, and later blocks come from heaps that
    are never given back: a process stayed 600 MB larger after a flood of
    large images. A fixed threshold keeps every block on mmap. For the
    server's process (manage.py serve); a no-op without glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    except (OSError, AttributeError):
        pass


_workers = None
_lock = threading.Lock()


def of_this_process():
    global _workers
    with _lock:
        if _workers is None:
            _workers = Workers(
                settings.IMAGE_WORKERS, settings.IMAGE_DECODE_BUDGET, settings.IMAGE_WORKERS_WAITING
            )
        return _workers


def call(data, fn, *args, **kwargs):
    return of_this_process().call(data, fn, *args, **kwargs)


async def run(data, fn, *args, **kwargs):
    return await of_this_process().run(data, fn, *args, **kwargs)
