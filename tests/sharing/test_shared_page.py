"""The shared page and its images, for anyone with the token: read-only, the
cleaned copies of the path's images only, gone at once when revoked, expired or
the conversation deleted."""

import io
import re
from datetime import timedelta

import pytest
from django.utils.formats import date_format
from django.utils.timezone import now
from PIL import Image

from chat.models import Message
from chat.sharing.models import Share
from tests.support.images import GPS_IFD, camera_photo, image_bytes
from tests.support.sharing import conversation_with_images, share, store


@pytest.fixture
def shared(alice):
    conversation = conversation_with_images(alice, camera_photo(size=(300, 200)), image_bytes())
    return share(conversation, shown_as="Alice L.")


def image_urls(page):
    return re.findall(r'<img src="([^"]+)"', page.content.decode())


def test_it_shows_the_transcript_and_who_shared_it_without_a_login(client, shared):
    page = client.get(f"/s/{shared.token}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Two squares" in html and "What **colour** are they?" in html
    assert "<em>red</em>" in html  # the answer's Markdown, rendered
    assert f"Shared by Alice L. on {date_format(shared.created)}. Read-only." in html
    assert len(image_urls(page)) == 2


def test_it_says_anonymous_when_no_name_was_given(client, alice):
    link = share(conversation_with_images(alice))
    assert "Shared by anonymous on" in client.get(f"/s/{link.token}/").content.decode()


def test_it_holds_no_form_no_composer_and_nothing_else_of_the_owner(client, shared, alice):
    other = conversation_with_images(alice, title="Private plans")
    html = client.get(f"/s/{shared.token}/").content.decode()

    assert "<form" not in html and "<textarea" not in html and "csrfmiddlewaretoken" not in html
    assert "Private plans" not in html and str(other.code) not in html
    assert str(shared.conversation.code) not in html  # nothing leads back to the conversation
    assert "/c/" not in html and "photo-0.jpg" not in html


def test_it_asks_not_to_be_indexed_under_the_same_csp(client, shared):
    page = client.get(f"/s/{shared.token}/")
    assert '<meta name="robots" content="noindex, nofollow">' in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert page["Referrer-Policy"] == "no-referrer"


def test_it_serves_the_cleaned_copy_of_each_image_never_the_original(client, shared):
    [photo, square] = image_urls(client.get(f"/s/{shared.token}/"))
    response = client.get(photo)

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    original = shared.conversation.messages.first().images.first()
    assert served != original.file.open("rb").read()
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (200, 300)  # stood upright from its EXIF rotation
        assert not image.getexif().get_ifd(GPS_IFD)  # the GPS position is gone
    assert client.get(f"{photo}original/").status_code == 404
    assert client.get(square).status_code == 200


def test_it_refuses_an_image_the_path_does_not_show(client, shared, alice):
    off_path = Message.objects.create(conversation=shared.conversation, role="user", text="Draft")
    stray = store(alice, image_bytes(color=(0, 200, 0)))
    stray.message = off_path
    stray.save(update_fields=["message"])
    unattached = store(alice, image_bytes(color=(0, 0, 200)), name="later.png")

    for image in (stray, unattached):
        assert client.get(f"/s/{shared.token}/images/{image.code}/").status_code == 404


def test_it_answers_404_for_the_page_and_its_images_once_revoked(client, shared):
    [photo, _] = image_urls(client.get(f"/s/{shared.token}/"))
    shared.revoke()

    assert client.get(f"/s/{shared.token}/").status_code == 404
    assert client.get(photo).status_code == 404


def test_it_answers_404_once_expired(client, shared):
    [photo, _] = image_urls(client.get(f"/s/{shared.token}/"))
    Share.objects.filter(pk=shared.pk).update(expires=now() - timedelta(seconds=1))

    assert client.get(f"/s/{shared.token}/").status_code == 404
    assert client.get(photo).status_code == 404


def test_deleting_the_conversation_revokes_its_links(client, shared):
    shared.conversation.soft_delete()

    assert client.get(f"/s/{shared.token}/").status_code == 404
    shared.refresh_from_db()
    assert shared.revoked is not None


def test_it_answers_404_for_a_token_that_was_never_made(client, shared):
    other = shared.token[:-1] + ("A" if shared.token[-1] != "A" else "B")
    assert client.get(f"/s/{other}/").status_code == 404
    assert client.get("/s/not-a-token/").status_code == 404


def test_it_counts_openings_without_keeping_addresses(client, shared):
    for _ in range(3):
        client.get(f"/s/{shared.token}/")
    shared.refresh_from_db()
    assert shared.opened == 3 and shared.last_opened is not None


def test_a_snapshot_keeps_the_path_as_shared_and_keep_updated_follows_it(client, alice):
    conversation = conversation_with_images(alice)
    snapshot, following = share(conversation), share(conversation, keep_updated=True)
    conversation.append(role=Message.Role.USER, text="And now a later question")

    assert "later question" not in client.get(f"/s/{snapshot.token}/").content.decode()
    assert "later question" in client.get(f"/s/{following.token}/").content.decode()


def test_an_image_of_a_later_turn_opens_only_through_a_link_that_keeps_updated(client, alice):
    conversation = conversation_with_images(alice)
    snapshot, following = share(conversation), share(conversation, keep_updated=True)
    later = conversation.append(role=Message.Role.USER, text="This one too")
    image = store(alice, image_bytes(color=(9, 9, 9)))
    image.message = later
    image.save(update_fields=["message"])

    assert client.get(f"/s/{snapshot.token}/images/{image.code}/").status_code == 404
    assert client.get(f"/s/{following.token}/images/{image.code}/").status_code == 200


def test_an_image_asked_again_with_its_etag_costs_a_304(client, shared):
    [photo, _] = image_urls(client.get(f"/s/{shared.token}/"))
    etag = client.get(photo)["ETag"]

    again = client.get(photo, headers={"If-None-Match": etag})
    assert again.status_code == 304
    shared.revoke()
    assert client.get(photo, headers={"If-None-Match": etag}).status_code == 404


def test_each_address_is_limited_with_a_sentence(client, shared, settings):
    settings.SHARE_REQUESTS_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    answers = [client.get(f"/s/{shared.token}/", REMOTE_ADDR="203.0.113.9") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Too many requests from your address" in answers[-1].content.decode()
    assert int(answers[-1]["Retry-After"]) >= 1
    # Another address is not held back by the first.
    assert client.get(f"/s/{shared.token}/", REMOTE_ADDR="203.0.113.10").status_code == 200


def test_a_chinese_visitor_reads_the_page_around_the_transcript_in_chinese(client, shared):
    html = client.get(f"/s/{shared.token}/", headers={"Accept-Language": "zh-CN"}).content.decode()
    assert "由 Alice L. 于 " in html and "分享，只读。" in html and "提问" in html
    assert "What **colour** are they?" in html  # what was said is never translated


def test_each_visitor_reads_an_answers_notice_in_their_own_language(client, alice):
    conversation = conversation_with_images(alice)
    conversation.messages.filter(role="assistant").update(finish_reason="length")
    link = share(conversation)

    english = client.get(f"/s/{link.token}/").content.decode()
    chinese = client.get(f"/s/{link.token}/", headers={"Accept-Language": "zh-CN"}).content.decode()

    assert "The answer was cut at the token limit." in english
    assert "回答达到了 token 上限，后面的内容被截断了。" in chinese
