"""Image decoding in bounded workers (issue 17, findings 2 and 3): at most N
images in flight per process within a budget of pixel bytes, "busy, try
again" past the queue, and crops counted and run like uploads. The memory
under the attacks is measured against a running daphne in
tests/system/test_image_floods.py."""

import threading
from contextlib import contextmanager

import pytest

from chat import images
from chat.images import workers
from tests.support.images import image_bytes
from tests.support.uploads import upload


@pytest.fixture
def small_pool(monkeypatch):
    """One worker, none waiting: a held job makes the process busy."""
    pool = workers.Workers(threads=1, budget=256 * 1024 * 1024, waiting=0)
    monkeypatch.setattr(workers, "_workers", pool)
    yield pool
    pool.pool.shutdown(wait=True)


@contextmanager
def held(pool):
    """The pool's only worker, held until the block ends."""
    started, release = threading.Event(), threading.Event()

    def hold(data):
        started.set()
        release.wait(10)

    job = pool.submit(b"", hold)
    started.wait(10)
    try:
        yield
    finally:
        release.set()
        job.result(10)


@pytest.mark.django_db
def test_it_answers_busy_try_again_when_every_worker_and_place_in_line_is_taken(
    alice_client, small_pool
):
    """Fails on main before issue 17: every upload decoded at once, on its own thread."""
    with held(small_pool):
        response = upload(alice_client, image_bytes("PNG"), "red.png")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == (
        "The server is busy with other images right now; try again in 5 seconds."
    )


@pytest.mark.django_db
def test_it_decodes_an_upload_in_an_image_worker(alice_client, monkeypatch):
    """Fails on main before issue 17: the upload was decoded on the request's thread."""
    threads = []
    prepare = images.prepare

    def recorded(data, **kwargs):
        threads.append(threading.current_thread().name)
        return prepare(data, **kwargs)

    monkeypatch.setattr(images, "prepare", recorded)
    response = upload(alice_client, image_bytes("PNG"), "red.png")

    assert response.status_code == 201
    assert len(threads) == 1 and threads[0].startswith("images")


def test_it_waits_for_room_in_the_budget_before_decoding():
    # Two 100×100 images cost 40,000 bytes each: a budget of 50,000 holds one at a time.
    pool = workers.Workers(threads=2, budget=50_000, waiting=4)
    data = image_bytes("PNG", size=(100, 100))
    first_in, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def first(data):
        first_in.set()
        release.wait(10)

    first_job = pool.submit(data, first)
    first_in.wait(10)
    second_job = pool.submit(data, lambda data: second_in.set())

    assert not second_in.wait(0.3)  # a thread is free, the budget is not
    release.set()
    first_job.result(10), second_job.result(10)
    assert second_in.is_set()
    assert pool.free == 50_000
    pool.pool.shutdown()


def test_it_reserves_the_pixels_of_the_header_before_decoding():
    assert workers.decode_cost(image_bytes("PNG", size=(7000, 10))) == 7000 * 10 * 4
    assert workers.decode_cost(b"<html>") == 0  # the check refuses it, at no cost


@pytest.mark.django_db
def test_it_counts_crops_against_the_uploads_a_minute(alice_client, settings):
    """Fails on main before issue 17: crops had no limit at all."""
    settings.LIMIT_UPLOADS_PER_MINUTE = 2
    uploaded = upload(alice_client, image_bytes("PNG", size=(200, 200)), "big.png").json()
    box = {"left": 0, "top": 0, "width": 50, "height": 50}

    first = alice_client.post(f"/images/{uploaded['id']}/crop/", box)
    second = alice_client.post(f"/images/{uploaded['id']}/crop/", box)

    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json()["error"].startswith("You can upload 2 images a minute")


@pytest.mark.django_db
def test_it_counts_crops_against_the_bytes_a_day(alice_client, settings):
    """Fails on main before issue 17: after uploads were refused for the day's
    bytes, crops were still stored."""
    data = image_bytes("PNG", size=(200, 200))
    settings.LIMIT_UPLOAD_BYTES_PER_DAY = len(data) + 50  # the upload, and not one crop more
    uploaded = upload(alice_client, data, "big.png").json()

    response = alice_client.post(
        f"/images/{uploaded['id']}/crop/", {"left": 0, "top": 0, "width": 150, "height": 150}
    )

    assert response.status_code == 429
    assert "a day; try again in" in response.json()["error"]


@pytest.mark.django_db
def test_it_cuts_crops_in_the_workers(alice_client, small_pool):
    """Fails on main before issue 17: a crop decoded the original on the request's
    thread, however many were under way."""
    uploaded = upload(alice_client, image_bytes("PNG", size=(200, 200)), "big.png").json()

    with held(small_pool):
        response = alice_client.post(
            f"/images/{uploaded['id']}/crop/", {"left": 0, "top": 0, "width": 50, "height": 50}
        )

    assert response.status_code == 503
    assert "busy with other images" in response.json()["error"]
