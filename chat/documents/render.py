"""Running the renderer (`renderer.py`) in a process of its own, with a time
limit from outside and a memory limit it sets on itself, and reading its pages
as they come. A renderer that hangs is killed; one that crashes or runs out of
memory simply ends; either way the caller gets a `DocumentRejected` with a
sentence, and the server goes on serving."""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from chat.documents.kinds import DocumentRejected

RENDERER = Path(__file__).with_name("renderer.py")
# The longer side of a rendered page, in pixels: see the README ("Page size").
PAGE_LONGEST_PX = 2048
# A postcard is not rendered at 1,000 dpi: no model reads finer than this.
PAGE_MAX_DPI = 300
# A page whose longer side is over 100 inches (2.54 m; A0 is 46.8 in) is no document.
PAGE_MAX_INCHES = 100


def renderer_command(job):
    """The renderer's command line; the tests put a sleeping or crashing one here."""
    return [sys.executable, "-I", str(RENDERER), json.dumps(job)]


@dataclass
class RenderedPage:
    number: int
    data: bytes
    text: str


class Rendering:
    """One renderer process: `open()` waits for the page count, then
    `pages()` yields each page as it is drawn. Always `close()` it."""

    def __init__(self, data, *, kind, name):
        self.name = name
        self.kind = kind
        self.folder = tempfile.TemporaryDirectory(prefix="document-")
        path = os.path.join(self.folder.name, "document")
        with open(path, "wb") as f:
            f.write(data)
        job = {
            "kind": kind,
            "path": path,
            "out": self.folder.name,
            "max_pages": settings.DOCUMENT_MAX_PAGES,
            "max_pixels": settings.IMAGE_MAX_PIXELS,
            "max_page_inches": PAGE_MAX_INCHES,
            "longest_px": PAGE_LONGEST_PX,
            "max_dpi": PAGE_MAX_DPI,
            "memory_mb": settings.DOCUMENT_RENDER_MEMORY_MB,
        }
        self.process = subprocess.Popen(
            renderer_command(job),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="document-renderer").start()
        self.deadline = time.monotonic() + settings.DOCUMENT_RENDER_SECONDS
        self.page_count = None
        self.has_text = []
        self.peak_mb = None  # the renderer's resident high-water mark, once done

    def _read(self):
        for line in self.process.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                break
        self.events.put(None)  # the process ended or spoke nonsense

    def _next(self):
        """The next event, or a DocumentRejected when time is up or the process died."""
        page_deadline = time.monotonic() + settings.DOCUMENT_PAGE_SECONDS
        timeout = min(self.deadline, page_deadline) - time.monotonic()
        try:
            event = self.events.get(timeout=max(0, timeout))
        except queue.Empty:
            self.process.kill()
            raise DocumentRejected(
                gettext(
                    "“%(name)s” took too long to render (over %(page)s seconds for a page, "
                    "or %(whole)s for the whole file); it was stopped."
                )
                % {
                    "name": self.name,
                    "page": f"{settings.DOCUMENT_PAGE_SECONDS:g}",
                    "whole": f"{settings.DOCUMENT_RENDER_SECONDS:g}",
                },
                reason="timeout",
            ) from None
        if event is None:
            code = self.process.wait()
            raise DocumentRejected(
                _stopped(self.name, code),
                reason="crashed",
            )
        if event["event"] == "refused":
            raise refusal(self.name, event, self.kind)
        return event

    def open(self):
        event = self._next()
        if event["event"] != "opened":
            raise DocumentRejected(
                gettext("“%(name)s” could not be read.") % {"name": self.name}, reason="broken"
            )
        self.page_count = event["pages"]
        self.has_text = event["text"]
        return self.page_count

    def pages(self):
        # The whole-file limit counts from here: a document may wait its turn.
        self.deadline = time.monotonic() + settings.DOCUMENT_RENDER_SECONDS
        while True:
            event = self._next()
            if event["event"] == "done":
                self.peak_mb = event.get("peak_mb")
                return
            with open(event["file"], "rb") as f:
                data = f.read()
            os.unlink(event["file"])
            yield RenderedPage(number=event["number"], data=data, text=event.get("text", ""))

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.folder.cleanup()


def _stopped(name, code):
    if code is not None and code < 0:
        sentence = gettext(
            "“%(name)s” could not be rendered: the renderer stopped (signal %(code)s). "
            "The file may be damaged or built to crash readers."
        )
        code = -code
    else:
        sentence = gettext(
            "“%(name)s” could not be rendered: the renderer stopped (exit code %(code)s). "
            "The file may be damaged or built to crash readers."
        )
    return sentence % {"name": name, "code": code}


def refusal(name, event, kind):
    """The sentence for a renderer's refusal."""
    reason = event["reason"]
    if reason == "encrypted":
        message = gettext(
            "“%(name)s” is protected by a password. Save a copy without the password "
            "(Print → Save as PDF) and attach that."
        ) % {"name": name}
    elif reason == "too_many_pages":
        message = gettext(
            "“%(name)s” has %(pages)s pages; at most %(limit)s are accepted. Split it and "
            "attach the part you need."
        ) % {
            "name": name,
            "pages": number_format(event["pages"], force_grouping=True),
            "limit": number_format(settings.DOCUMENT_MAX_PAGES, force_grouping=True),
        }
    elif reason == "page_size":
        width, height = event["inches"]
        message = gettext(
            "Page %(page)s of “%(name)s” is %(width)s × %(height)s inches; pages larger than "
            "%(limit)s inches on a side (or smaller than a point) are not rendered."
        ) % {
            "page": event["page"], "name": name, "width": f"{width:g}", "height": f"{height:g}",
            "limit": PAGE_MAX_INCHES,
        }  # fmt: skip
    elif reason == "pixels":
        width, height = event["size"]
        message = gettext(
            "Page %(page)s of “%(name)s” is %(width)s×%(height)s pixels; pages may have at "
            "most %(limit)s megapixels."
        ) % {
            "page": event["page"], "name": name, "width": width, "height": height,
            "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
        }  # fmt: skip
    elif reason == "no_pages":
        message = gettext("“%(name)s” has no pages.") % {"name": name}
    else:
        message = gettext(
            "“%(name)s” is damaged or incomplete and cannot be read as a %(kind)s."
        ) % {"name": name, "kind": kind.upper()}
    return DocumentRejected(message, reason=reason)
