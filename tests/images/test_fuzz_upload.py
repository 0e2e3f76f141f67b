"""Random bytes and mutated real images at the upload endpoint (hypothesis):
truncated, bit-flipped, wrong headers, decompression bombs, huge dimensions in
tiny files, HTML polyglots. Every answer is a 201 with a stored image that
decodes, or a 400 with a sentence and nothing stored; never a 500.

More examples: pytest tests/images/test_fuzz_upload.py --hypothesis-profile=long
"""

import io
import struct

import pytest
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chat.models import ImageAttachment
from tests.support.images import animated_gif, bomb_png, heic_photo, image_bytes
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db

SEEDS = {
    "png": image_bytes("PNG", size=(40, 30)),
    "png-alpha": image_bytes("PNG", size=(40, 30), color=(1, 2, 3, 100)),
    "jpeg": image_bytes("JPEG", size=(40, 30)),
    "gif": animated_gif(size=(20, 16)),
    "webp": image_bytes("WEBP", size=(40, 30)),
    "heic": heic_photo(size=(64, 48)),
}
MAGIC = [
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\0\0\0\0WEBP", b"<svg", b"%PDF",
]  # fmt: skip
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def all_files():
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder or "."):
            continue
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{s}".lstrip("/") for s in subfolders]
        found += [f"{folder}/{f}".lstrip("/") for f in files]
    return sorted(found)


@st.composite
def mutated(draw):
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    how = draw(st.sampled_from(["truncate", "flip", "header", "polyglot", "splice", "dims"]))
    if how == "truncate":
        del data[draw(st.integers(1, len(data) - 1)) :]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
    elif how == "header":
        magic = draw(st.sampled_from(MAGIC))
        data[: len(magic)] = magic
    elif how == "polyglot":
        data = data + HTML if draw(st.booleans()) else HTML + data
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    elif how == "dims":
        # Huge dimensions written over the seed's own (in a PNG's IHDR, a GIF's screen).
        big = draw(st.integers(1, 2**31 - 1))
        if data.startswith(b"\x89PNG"):
            data[16:24] = struct.pack(">II", big, draw(st.integers(1, 2**31 - 1)))
        elif data.startswith(b"GIF"):
            data[6:10] = struct.pack("<HH", big & 0xFFFF, (big >> 16) or 1)
    return bytes(data)


uploads = st.one_of(
    st.binary(max_size=2048),
    mutated(),
    st.builds(bomb_png, st.integers(8000, 200_000), st.integers(8000, 200_000)),
)


@pytest.fixture
def no_rate_limits(settings):
    settings.LIMIT_UPLOADS_PER_MINUTE = 0
    settings.LIMIT_UPLOAD_BYTES_PER_DAY = 0


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=uploads, name=st.text(max_size=30).map(lambda t: (t or "x") + ".png"))
def test_it_stores_a_decodable_image_or_refuses_with_a_sentence(
    alice_client, no_rate_limits, data, name
):
    before_files, before_rows = all_files(), ImageAttachment.objects.count()

    response = upload(alice_client, data, name)

    assert response.status_code in (201, 400), response.status_code
    if response.status_code == 400:
        error = response.json()["error"]
        assert isinstance(error, str) and error.endswith((".", ")."))
        assert ImageAttachment.objects.count() == before_rows
        assert all_files() == before_files
        return
    stored = ImageAttachment.objects.get(code=response.json()["id"])
    with stored.file.open("rb") as f:
        Image.open(io.BytesIO(f.read())).load()
    # What users and the model are shown decodes too.
    shown = alice_client.get(response.json()["url"])
    assert shown.status_code == 200
    Image.open(io.BytesIO(b"".join(shown.streaming_content))).load()
