"""Comparisons judged by reviewers: in the pair queue by rule (a share of blind
picks, every "both bad"), judged blind (no model name in the page before the
judgement, the answers in an order of the reviewer's own), and agreement with
the person's pick and between reviewers on the summary."""

import re

import pytest
from django.test import Client

from chat.models import Pick
from chat.review import pairs
from chat.review.models import PairItem, PairJudgment
from tests.support.review import make_comparison, make_staff

pytestmark = pytest.mark.django_db
NEXT = "/admin/chat/conversation/pairs/next/"
SUMMARY = "/admin/chat/conversation/summary/"
MODELS = ("gpt-4o", "gemini-2.5-pro")


def pick(user, *, outcome="winner", column=0, blind=True, models=MODELS, reason=""):
    comparison, columns = make_comparison(user, models, blind=blind)
    winner = columns[column] if outcome == "winner" else None
    Pick.record(comparison, user=user, outcome=outcome, winner=winner, reason=reason)
    return comparison, columns


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def shown_labels(html):
    """{"A": the answer's text, "B": ...} as the page shows them."""
    found = re.findall(
        r'data-label="([AB])">.*?<div class="review-text markdown">(.*?)</div>', html, re.S
    )
    return {label: re.sub(r"<[^>]+>", "", text).strip() for label, text in found}


def test_a_share_of_blind_picks_enters_the_pair_queue(alice, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    sampled, columns = pick(alice)
    pick(alice, blind=False)  # seen with names: not a blind judgement to sample
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 0
    pick(alice)

    item = PairItem.objects.get()
    assert (item.comparison, item.reason) == (sampled, "sample")
    assert {item.first, item.second} == set(columns)


def test_every_both_bad_enters_the_pair_queue_unless_turned_off(alice, settings):
    both_bad, _ = pick(alice, outcome="both_bad", blind=False)
    settings.REVIEW_PAIR_BOTH_BAD = False
    pick(alice, outcome="both_bad")

    assert [(i.comparison, i.reason) for i in PairItem.objects.all()] == [(both_bad, "both_bad")]


def test_a_pair_of_three_columns_holds_the_winner(alice, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    _, columns = pick(alice, column=2, models=("gpt-4o", "gemini-2.5-pro", "claude-sonnet"))

    item = PairItem.objects.get()
    assert item.first == columns[2] and item.second in columns[:2]


def test_a_reviewer_judges_a_pair_blind_from_the_queue(alice, rita, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    _, columns = pick(alice, column=1, reason="it read the small print")
    client = client_for(rita)

    page = client.get(NEXT, follow=True)

    html = page.content.decode()
    assert "Which answer is better?" in html
    assert "What is the total on this receipt?" in html
    for name in MODELS:
        assert name not in html  # blind: no model name anywhere in the page
    assert "it read the small print" not in html  # nor the person's pick
    labels = shown_labels(html)
    assert sorted(labels.values()) == ["The total is 12.00 euros.", "The total is 13.00 euros."]
    picked = next(label for label, text in labels.items() if text.startswith("The total is 13"))

    after = client.post(page.redirect_chain[-1][0], {"choice": picked.lower(),
                        "reason": "B has the right total"}, follow=True)  # fmt: skip

    judgment = PairJudgment.objects.get()
    assert (judgment.reviewer, judgment.item.first) == (rita, columns[1])
    assert judgment.value == "first"  # the answer the person picked
    html = after.content.decode()
    assert all(name in html for name in MODELS)  # now revealed
    assert f"You picked answer {picked}." in html
    assert f"The person picked answer {picked}." in html and "You agree." in html
    assert PairItem.objects.get().done is not None


def test_each_reviewer_sees_the_order_of_their_own_and_it_stays(alice, rita, ravi, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    for _ in range(12):
        pick(alice)
    orders = {
        (item.pk, reviewer.pk): pairs.shown(item, reviewer)
        for item in PairItem.objects.all() for reviewer in (rita, ravi)
    }  # fmt: skip
    firsts_as_a = sum(shown[0] == PairItem.objects.get(pk=pk).first
                      for (pk, _), shown in orders.items())  # fmt: skip

    assert 0 < firsts_as_a < len(orders)  # random: either answer can be "A"
    assert all(pairs.shown(PairItem.objects.get(pk=pk), user) == orders[pk, user.pk]
               for pk, user in [(pk, u) for pk, _ in orders for u in (rita, ravi)])  # fmt: skip


def test_a_reviewer_judges_a_pair_once(alice, rita, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    pick(alice)
    item = PairItem.objects.get()
    client = client_for(rita)
    client.post(f"/admin/chat/conversation/pairs/{item.pk}/", {"choice": "a"})

    again = client.post(f"/admin/chat/conversation/pairs/{item.pk}/", {"choice": "b"}, follow=True)

    assert "You have judged this pair already." in again.content.decode()
    assert PairJudgment.objects.count() == 1
    assert "/review/pairitem/" in client.get(NEXT, follow=True).redirect_chain[-1][0]


def test_pairs_are_for_reviewers_only(alice, bob, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    pick(alice)
    item = PairItem.objects.get()
    url = f"/admin/chat/conversation/pairs/{item.pk}/"

    assert client_for(make_staff("stan")).get(url).status_code == 403
    assert client_for(bob).get(url).status_code == 302  # to the admin's login
    assert client_for(make_staff("sam")).post(url, {"choice": "a"}).status_code == 403
    assert not PairJudgment.objects.exists()


def test_the_summary_reports_agreement_with_the_picks_and_between_reviewers(
    alice, rita, ravi, settings
):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    # Four picks of the first column; rita and ravi judge each (values of the pair
    # as stored: "first" is the picked answer).
    for _ in range(4):
        pick(alice)
    items = list(PairItem.objects.order_by("pk"))
    rita_says = ["first", "first", "second", "tie"]
    ravi_says = ["first", "second", "second", "first"]
    for item, r, v in zip(items, rita_says, ravi_says, strict=True):
        PairJudgment.objects.create(item=item, reviewer=rita, value=r)
        PairJudgment.objects.create(item=item, reviewer=ravi, value=v)

    response = client_for(rita).get(SUMMARY)

    figures = response.context["pairs"]
    # With the person (always "first"): 4 of 8 agree. The person's side has one
    # category, so chance agreement is the reviewers' share of "first", 4/8: κ = 0.
    assert (figures["with_users"].pairs, figures["with_users"].agreed) == (8, 4)
    assert figures["with_users"].kappa == pytest.approx(0.0)
    # Between reviewers: 2 of 4 pairs agree; rita first/first/second/tie, ravi
    # first/second/second/first: chance = (2·2 + 1·2 + 1·0) / 16 = 6/16, so
    # κ = (0.5 - 0.375) / (1 - 0.375) = 0.2.
    between = figures["between_reviewers"]
    assert (between.pairs, between.agreed, between.percent) == (4, 2, 50.0)
    assert between.kappa == pytest.approx(0.2)
    html = response.content.decode()
    assert "Reviewers agree with the person's own pick in <strong>50.0%</strong> of 8" in html
    assert "Reviewers agree with each other in <strong>50.0%</strong> of 4 pairs" in html


def test_the_review_page_shows_a_comparison_side_by_side_with_the_pick_marked(alice, rita_client):
    comparison, columns = pick(alice, column=1, reason="it read the small print")
    url = f"/admin/chat/conversation/{comparison.conversation.pk}/review/"

    html = rita_client.get(url).content.decode()

    assert 'class="review-versions several compared"' in html
    assert "Models compared blind, side by side. Its user picked gemini-2.5-pro." in html
    assert "“it read the small print”" in html
    picked = html.split(f'id="message-{columns[1].pk}"')[1].split("</header>")[0]
    other = html.split(f'id="message-{columns[0].pk}"')[1].split("</header>")[0]
    assert "compared blind: picked by its user" in picked and "picked by" not in other


def test_the_pair_queue_lists_the_waiting_pairs_without_their_models(alice, rita, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    comparison, _ = pick(alice)

    page = client_for(rita).get("/admin/review/pairitem/?done__isempty=1")

    html = page.content.decode()
    assert f"comparison {comparison.pk}" in html and "sampled blind pick" in html
    assert all(name not in html for name in MODELS)
    assert client_for(make_staff("stan")).get("/admin/review/pairitem/").status_code == 403
