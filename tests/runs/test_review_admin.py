"""Review sees a run like a conversation: each item's request and answer."""

import asyncio

import pytest

from chat.models import Run
from chat.runs.worker import Worker


@pytest.mark.django_db(transaction=True)
def test_it_shows_each_items_request_and_answer_to_reviewers(
    alice_client, rita_client, upstream, upload_images
):
    codes = upload_images(2)
    alice_client.post(
        "/runs/new/", {"prompt": "List the dishes", "model": "gpt-4o", "images": codes}
    )
    run = Run.objects.get()
    asyncio.run(Worker().until_idle())

    page = rita_client.get(f"/admin/chat/run/{run.pk}/change/").content.decode()
    assert page.count("The image shows a red square.") == 2
    assert "List the dishes" in page
    # The request names its image instead of holding its bytes.
    assert f"image {codes[0]} at" in page and "base64" not in page
    assert rita_client.get("/admin/chat/run/").status_code == 200


@pytest.mark.django_db
def test_it_keeps_runs_from_staff_who_do_not_review(alice_client, client, upload_images):
    from tests.support.users import make_user

    alice_client.post("/runs/new/", {"prompt": "Go", "model": "gpt-4o",
                                     "images": upload_images(1)})  # fmt: skip
    staff = make_user("sam", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/chat/run/").status_code == 403


@pytest.mark.django_db
def test_it_gives_runs_their_own_entry_in_the_review_summary(
    alice_client, rita_client, upload_images
):
    from chat.models import RunItem

    alice_client.post("/runs/new/", {"prompt": "Go", "model": "gpt-4o",
                                     "images": upload_images(3)})  # fmt: skip
    RunItem.objects.filter(position=1).update(
        status=RunItem.Status.DONE, prompt_tokens=42, completion_tokens=6
    )
    RunItem.objects.filter(position=2).update(status=RunItem.Status.FAILED)

    response = rita_client.get("/admin/chat/conversation/summary/?days=2")

    assert response.context["summary"]["runs"] == {
        "runs": 1, "items": 3, "done": 1, "failed": 1, "tokens": 48,
    }  # fmt: skip
    assert "Runs started" in response.content.decode()
