"""Measure the image pipeline: `python manage.py benchmark_images`.

Runs in a throwaway test database and media folder; touches nothing real.
Peak memory is the process's resident high-water mark (VmHWM), reset before
each stage through /proc/self/clear_refs, so it includes Python and Django.
"""

import base64
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from PIL import Image

from chat import images
from chat.live import request_body
from chat.models import Conversation, Message

TURNS, IMAGES = 40, 20
MB = 1024 * 1024


def _reset_peak():
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _measure(action):
    _reset_peak()
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start, _peak_mb()


def camera_jpeg(limit):
    """A 6000×4000 JPEG of noise (the worst case for a decoder), as close under
    `limit` bytes as a quality step allows, with an EXIF rotation and GPS."""
    rng = random.Random(42)
    image = Image.frombytes("RGB", (6000, 4000), rng.randbytes(6000 * 4000 * 3))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, 1.5)})
    for quality in range(90, 40, -2):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif)
        if out.tell() <= limit:
            return out.getvalue()
    raise RuntimeError("could not make the test image small enough")


class Command(BaseCommand):
    help = "Time and measure image intake, derivatives and a 40-turn request build."

    def handle(self, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                self.run()
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def say(self, text):
        self.stdout.write(text)

    def run(self):
        user = get_user_model().objects.create_user("benchmark")
        data = camera_jpeg(settings.IMAGE_MAX_BYTES)
        self.say(f"Test image: 6000×4000 JPEG, {len(data) / MB:.1f} MB, EXIF rotation and GPS")
        _reset_peak()
        self.say(f"Resident memory before intake (Django + the image's bytes): {_peak_mb():.0f} MB")

        def intake():
            checked = images.check_image(data, name="photo.jpg")
            return images.store_image(owner=user, checked=checked, name="photo.jpg")

        _, seconds, peak = _measure(intake)
        self.say(
            f"intake (check, store, low derivative, thumbnail): {seconds:.2f} s, peak {peak:.0f} MB"
        )
        original_b64 = len(base64.b64encode(data))
        for kind in ("low", "high"):
            (derivative, mime, w, h), seconds, peak = _measure(
                lambda kind=kind: images.make_derivative(data, kind)
            )
            sent = len(base64.b64encode(derivative))
            self.say(
                f"derivative {kind}: {seconds:.2f} s, peak {peak:.0f} MB; {w}×{h} {mime}, "
                f"{sent / 1024:.0f} KB as base64 vs {original_b64 / MB:.1f} MB for the "
                f"original ({original_b64 / sent:.0f}× less)"
            )
        self.build_benchmark(user)

    def build_benchmark(self, user):
        conversation = Conversation.objects.create(owner=user, model="gpt-4o")
        rng = random.Random(7)
        for turn in range(TURNS):
            message = conversation.append(
                role=Message.Role.USER, text=f"Question {turn}: " + "what do you see? " * 10
            )
            if turn % (TURNS // IMAGES) == 0:
                # Distinct 1600×1200 phone-sized photos, sent at high detail.
                size = (1600, 1200)
                noise = Image.frombytes("RGB", (160, 120), rng.randbytes(160 * 120 * 3))
                out = io.BytesIO()
                noise.resize(size).save(out, "JPEG", quality=90)
                checked = images.check_image(out.getvalue(), name=f"photo{turn}.jpg")
                attachment = images.store_image(
                    owner=user, checked=checked, detail="high", name=f"photo{turn}.jpg"
                )
                attachment.message = message
                attachment.save(update_fields=["message"])
            conversation.append(
                role=Message.Role.ASSISTANT, text="An answer of a few sentences. " * 8
            )

        def build():
            return request_body.build_request(conversation.path(), model="gpt-4o")

        _, first, _ = _measure(build)
        images.data_uris.clear()
        _, cold, _ = _measure(build)
        warm = []
        for _ in range(20):
            warm.append(_measure(build)[1])
        body = build()
        size = sum(len(str(m["content"])) for m in body["messages"])
        self.say(f"{TURNS}-turn conversation with {IMAGES} images ({size / MB:.1f} MB of request):")
        self.say(f"  first build, making the {IMAGES} high derivatives: {first * 1000:.0f} ms")
        self.say(f"  build after a restart (derivatives stored, data URIs not cached): "
                 f"{cold * 1000:.1f} ms")  # fmt: skip
        self.say(f"  build, warm (median of 20): {statistics.median(warm) * 1000:.1f} ms")
