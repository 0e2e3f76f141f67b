"""Starting a run: each bad input refused with a sentence and nothing stored;
another person's run is not found, whatever they ask of it."""

import pytest

from chat.models import Run

pytestmark = pytest.mark.django_db


def start(client, **fields):
    return client.post("/runs/new/", {"prompt": "Read it", "model": "gpt-4o", **fields})


@pytest.fixture(autouse=True)
def _gateway_models(settings):
    settings.TOKENGATE_API_KEY = "sk-test"


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"prompt": "  "}, "Write the prompt to send with every page or image."),
        ({"model": "gpt-99"}, "“gpt-99” is not a model this site offers."),
        ({}, "Choose a document or some images to run the prompt on."),
        ({"images": ["not-a-code"]}, "1 of the chosen images is not yours or no longer exists."),
    ],
)
def test_it_refuses_bad_input_with_a_sentence(alice_client, fields, sentence):
    response = start(alice_client, **fields)
    assert response.status_code == 400
    assert response.json()["error"] == sentence
    assert not Run.objects.exists()


def test_it_refuses_more_items_than_run_max_items(alice_client, upload_images, settings):
    settings.RUN_MAX_ITEMS = 2
    response = start(alice_client, images=upload_images(3))
    assert response.status_code == 400
    assert response.json()["error"] == (
        "A run may go over 2 pages or images; this one has 3: choose fewer."
    )
    assert not Run.objects.exists()


def test_it_refuses_another_persons_images(alice_client, bob, upload_images, client):
    codes = upload_images(2)
    client.force_login(bob)
    response = start(client, images=codes)
    assert response.json()["error"] == "2 of the chosen images are not yours or no longer exist."


def test_it_shows_a_run_to_its_owner_only(alice_client, bob, upload_images, client):
    run = Run.objects.get(code=start(alice_client, images=upload_images(1)).json()["code"])
    assert alice_client.get(f"/runs/{run.code}/").status_code == 200
    client.force_login(bob)
    for url in ("/", "/status/", "/download.csv"):
        assert client.get(f"/runs/{run.code}{url}").status_code == 404
    for url in ("/stop/", "/retry/", "/items/1/retry/"):
        assert client.post(f"/runs/{run.code}{url}").status_code == 404
    run.refresh_from_db()
    assert run.stopped is None


def test_it_stops_a_run_whose_items_then_wait_for_nothing(alice_client, upload_images):
    run = Run.objects.get(code=start(alice_client, images=upload_images(3)).json()["code"])
    status = alice_client.post(f"/runs/{run.code}/stop/").json()
    assert (status["state"], status["stopped"], status["left"]) == ("stopped", 3, 0)
    # A stopped item can be sent again on its own; the run goes on for it alone.
    status = alice_client.post(f"/runs/{run.code}/items/2/retry/").json()
    assert (status["state"], status["stopped"], status["left"]) == ("running", 2, 1)


def test_it_needs_csrf_to_start_a_run(alice, upload_images, alice_client):
    from django.test import Client

    codes = upload_images(1)
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(alice)
    response = start(checked, images=codes)
    assert response.status_code == 403
    assert not Run.objects.exists()


def test_it_lists_the_persons_runs_and_offers_a_new_one(alice_client, upload_images):
    start(alice_client, prompt="Read the date", images=upload_images(1))
    listing = alice_client.get("/runs/").content.decode()
    assert "Read the date" in listing and "0/1" in listing
    page = alice_client.get("/runs/new/").content.decode()
    assert 'id="run-files"' in page and "gpt-4o" in page


def test_it_counts_a_runs_items_being_sent_against_the_streaming_limit(
    alice, alice_client, upload_images, settings
):
    from chat import limits
    from chat.models import RunItem

    settings.LIMIT_STREAMING_ANSWERS = 2
    start(alice_client, images=upload_images(3))
    RunItem.objects.filter(position__in=[1, 2]).update(status=RunItem.Status.RUNNING)

    with pytest.raises(limits.LimitReached) as refused:
        limits.take_turn(alice)
    assert refused.value.message == (
        "You may stream 2 answers at once, and your runs are sending 2 of their pages or "
        "images now: wait for one to finish, or stop the run."
    )


def test_it_puts_an_item_whose_process_died_back_in_line(alice_client, upload_images):
    from datetime import timedelta

    from django.utils.timezone import now

    from chat.models import RunItem
    from chat.runs import claims

    start(alice_client, images=upload_images(2))
    claimed = claims.claim("process-that-dies", 1)
    assert [item.position for item in claimed] == [1]
    RunItem.objects.filter(position=1).update(claimed_until=now() - timedelta(seconds=1))

    again = claims.claim("another-process", 2)

    assert [item.position for item in again] == [1, 2]
    assert set(RunItem.objects.values_list("claimed_by", flat=True)) == {"another-process"}
