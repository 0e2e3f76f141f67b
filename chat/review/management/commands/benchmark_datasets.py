"""Memory of a dataset export as the selection grows: does it stay flat?

    manage.py benchmark_datasets                    # 200, then 2,000 conversations
    manage.py benchmark_datasets --conversations 2000 --kind imagefolder

Adds conversations (a photo, a question, an answer, approved) inside a
transaction it rolls back, with the images in a temporary media folder, and
streams the chosen dataset of the first 10 % and of all of them, measuring
the peak of Python's allocations (tracemalloc) while the file streams, and
the queries (counted, not logged). Nothing stays in the database or on disk.
"""

import io
import random
import tempfile
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import override_settings
from PIL import Image

from chat import images
from chat.models import Conversation, Message
from chat.review.datasets import making
from chat.review.models import DatasetExport, Review

FORM = {"target": "openai", "images": "data", "unit": "path", "link_hours": 72,
        "every_answer": False}  # fmt: skip


class Rollback(Exception):
    pass


def photo(n):
    """A distinct 320×240 JPEG of noise (about 30 KB, sent as is at "low")."""
    rng = random.Random(n)
    image = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Command(BaseCommand):
    help = "Measure a dataset export's memory for a tenth of the selection and for all of it."

    def add_arguments(self, parser):
        parser.add_argument("--conversations", type=int, default=2000)
        parser.add_argument(
            "--kind", default="sft", choices=[k for k, _ in DatasetExport.Kind.choices]
        )

    def handle(self, *args, conversations, kind, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            try:
                with transaction.atomic():
                    self.run(conversations, kind)
                    raise Rollback
            except Rollback:
                pass

    def fill(self, count):
        owner = get_user_model().objects.create_user("benchmark-datasets")
        started = time.perf_counter()
        for n in range(count):
            conversation = Conversation.objects.create(
                owner=owner, title=f"Photo {n}", model="gpt-4o"
            )
            question = conversation.messages.create(role="user", text=f"What is in photo {n}?")
            checked = images.check_image(photo(n), name=f"photo-{n}.jpg")
            attachment = images.store_image(owner=owner, checked=checked, name=f"photo-{n}.jpg")
            attachment.message = question
            attachment.save(update_fields=["message"])
            answer = conversation.messages.create(
                role="assistant", text="Noise, " * 40, model="gpt-4o", parent=question,
                status=Message.Status.COMPLETE,
            )  # fmt: skip
            conversation.current = answer
            conversation.save(update_fields=["current"])
            Review.objects.create(conversation=conversation, state="approved")
        self.stdout.write(f"filled {count} conversations in {time.perf_counter() - started:.0f} s")
        return owner

    def measure(self, kind, selection, owner):
        export = DatasetExport.objects.create(kind=kind, options=FORM, made_by=owner)
        options = making.options_of({**FORM}, "http://localhost")
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(None)  # counted, not kept: the log would grow with the export
            return execute(sql, params, many, context)

        tracemalloc.start()
        streamed, started = 0, time.perf_counter()
        with connection.execute_wrapper(count):
            for piece in making.stream(export, selection.order_by("pk"), options):
                streamed += len(piece)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        export.refresh_from_db()
        self.stdout.write(
            f"{kind}: {selection.count():>5} conversations, {export.kept} kept, "
            f"{streamed / 1e6:.1f} MB streamed in {time.perf_counter() - started:.1f} s, "
            f"peak Python memory {peak / 1e6:.1f} MB, {len(queries)} queries"
        )

    def run(self, count, kind):
        owner = self.fill(count)
        everything = Conversation.objects.filter(owner=owner)
        tenth = everything.filter(pk__in=everything.order_by("pk").values("pk")[: count // 10])
        self.measure(kind, tenth, owner)
        self.measure(kind, everything, owner)
