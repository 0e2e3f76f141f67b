"""Measure documents: `python manage.py benchmark_documents [--pages 100]`.

A scanned-looking PDF (each page an image of text lines, US Letter at
150 dpi) is taken in as an upload is: opened in the renderer process, then
each page stored through chat/images/. Reports the time to the first page's
thumbnail and to the last, the server process's resident high-water mark
(VmHWM, Django included) and the renderer's. Runs in a throwaway test
database and media folder.
"""

import io
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from PIL import Image, ImageDraw

from chat.documents import intake

MB = 1024 * 1024


def _rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scanned_pdf(pages):
    images = []
    for number in range(1, pages + 1):
        page = Image.new("L", (1275, 1650), 255)
        draw = ImageDraw.Draw(page)
        for row in range(40):
            draw.text((120, 120 + row * 36), f"Page {number}, line {row + 1}: " + "text " * 12)
        images.append(page)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


class Command(BaseCommand):
    help = "Time a 100-page PDF from upload to its last page image, and the memory it takes."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=100)

    def handle(self, *, pages, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                self.run(pages)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def run(self, pages):
        user = get_user_model().objects.create_user("benchmark")
        data = scanned_pdf(pages)
        self.stdout.write(
            f"Test document: {pages} scanned US Letter pages, {len(data) / MB:.1f} MB"
        )
        Path("/proc/self/clear_refs").write_text("5")
        self.stdout.write(f"Server process before: {_rss('VmRSS'):.0f} MB resident")
        start = time.perf_counter()
        document, rendering = intake.open_document(owner=user, data=data, name="scan.pdf")
        opened = time.perf_counter() - start
        first = None
        pages_of = rendering.pages

        def timed_pages():
            nonlocal first
            for page in pages_of():
                yield page
                if first is None:
                    first = time.perf_counter() - start

        rendering.pages = timed_pages
        intake.store_pages(document, rendering)
        total = time.perf_counter() - start
        document.refresh_from_db()
        self.stdout.write(
            f"page count known (upload answered): {opened:.2f} s\n"
            f"first page stored with its thumbnail: {first:.2f} s\n"
            f"all {document.pages.count()} pages stored: {total:.1f} s "
            f"({total / pages * 1000:.0f} ms a page), status {document.status}\n"
            f"server process peak: {_rss('VmHWM'):.0f} MB resident\n"
            f"renderer process peak: {rendering.peak_mb} MB resident"
        )
