"""The summary page: per day volume, tokens, errors, thumbs, speed, reviews."""

from datetime import timedelta

import pytest
from django.utils.timezone import now

from chat.models import Message
from chat.review.models import Review
from chat.review.summaries import Period, percentile
from tests.support.review import answers, attach_image, make_conversation, thumb

pytestmark = pytest.mark.django_db
SUMMARY = "/admin/chat/conversation/summary/"


def test_it_counts_each_day_of_the_period(rita_client, alice):
    today = now()
    yesterday = make_conversation(alice, turns=2, created=today - timedelta(days=1))
    attach_image(yesterday.messages.first())
    first, second = answers(yesterday)
    first.status, first.error_code = Message.Status.ERROR, "rate_limited"
    first.save()
    thumb(second, "down")
    Review.objects.create(
        conversation=yesterday, state="flagged", updated=today - timedelta(days=1)
    )
    make_conversation(alice, turns=1, created=today - timedelta(minutes=5))

    response = rita_client.get(SUMMARY + "?days=2")

    rows = {r["day"]: r for r in response.context["summary"]["rows"]}
    day = rows[(today - timedelta(days=1)).date()]
    assert (day["conversations"], day["messages"], day["images"]) == (1, 4, 1)
    assert (day["tokens"], day["errors"], day["flagged"]) == (240, 1, 1)
    # Thumbs count on the day they were given.
    assert (day["down"], rows[today.date()]["down"]) == (0, 1)
    assert (day["p50"], day["p95"]) == (300, 301)
    assert rows[today.date()]["conversations"] == 1
    assert response.context["summary"]["errors_by_code"] == {"rate_limited": 1}
    assert response.context["summary"]["tokens_by_model"] == {"gpt-4o": 360}


def test_it_draws_the_charts_as_svg_without_style_attributes(rita_client, alice):
    make_conversation(alice)

    page = rita_client.get(SUMMARY).content.decode()
    charts = page.split('class="review-charts"')[1].split('class="review-totals"')[0]

    assert charts.count("<svg") == 7 and "<rect" in charts and "<polyline" in charts
    assert " style=" not in charts and "<script" not in charts


def test_it_is_linked_from_the_admin_index(rita_client):
    assert f'href="{SUMMARY}"' in rita_client.get("/admin/").content.decode()


def test_it_reads_the_period_from_the_query_and_refuses_nonsense():
    today = now().date()

    assert Period.from_request({"days": "7"}, today=today).days[0] == today - timedelta(days=6)
    assert (
        len(Period.from_request({"start": "2026-01-01", "end": "2026-01-31"}, today=today).days)
        == 31
    )
    assert len(Period.from_request({"start": "nonsense"}, today=today).days) == 14
    assert len(Period.from_request({"days": "100000"}, today=today).days) == 366


def test_it_takes_nearest_rank_percentiles():
    values = list(range(1, 101))

    assert (percentile(values, 50), percentile(values, 95), percentile([7], 95)) == (50, 95, 7)
