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
                f"“{self.name}” took too long to render (over "
                f"{settings.DOCUMENT_PAGE_SECONDS:g} seconds for a page, or "
                f"{settings.DOCUMENT_RENDER_SECONDS:g} for the whole file); it was stopped.",
                reason="timeout",
            ) from None
        if event is None:
            code = self.process.wait()
            raise DocumentRejected(
                f"“{self.name}” could not be rendered: the renderer stopped "
                f"({_exit_reason(code)}). The file may be damaged or built to crash readers.",
                reason="crashed",
            )
        if event["event"] == "refused":
            raise refusal(self.name, event, self.kind)
        return event

    def open(self):
        event = self._next()
        if event["event"] != "opened":
            raise DocumentRejected(f"“{self.name}” could not be read.", reason="broken")
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


def _exit_reason(code):
    if code is not None and code < 0:
        return f"signal {-code}"
    return f"exit code {code}"


def refusal(name, event, kind):
    """The sentence for a renderer's refusal."""
    reason = event["reason"]
    if reason == "encrypted":
        message = (
            f"“{name}” is protected by a password. Save a copy without the password "
            "(Print → Save as PDF) and attach that."
        )
    elif reason == "too_many_pages":
        message = (
            f"“{name}” has {event['pages']:,} pages; at most "
            f"{settings.DOCUMENT_MAX_PAGES:,} are accepted. Split it and attach the part you need."
        )
    elif reason == "page_size":
        width, height = event["inches"]
        message = (
            f"Page {event['page']} of “{name}” is {width:g} × {height:g} inches; pages larger "
            f"than {PAGE_MAX_INCHES} inches on a side (or smaller than a point) are not rendered."
        )
    elif reason == "pixels":
        width, height = event["size"]
        message = (
            f"Page {event['page']} of “{name}” is {width}×{height} pixels; pages may have at "
            f"most {settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels."
        )
    elif reason == "no_pages":
        message = f"“{name}” has no pages."
    else:
        message = f"“{name}” is damaged or incomplete and cannot be read as a {kind.upper()}."
    return DocumentRejected(message, reason=reason)
