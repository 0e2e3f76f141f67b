"""The leaderboard page: blind picks only, its figures, filters by period and
review tag, who may open it, and a fixed number of queries however many picks."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from chat.compare import leaderboard
from chat.models import Comparison, Conversation, Message, Pick
from chat.review.models import ConversationTag, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_board():
    cache.clear()  # each test's own picks, not a board cached by the one before


def make_picks(owner, outcomes, *, blind=True, conversation=None, created=None, answers=True):
    """Picks (in bulk) of comparisons of two answers; `outcomes` is a list of
    (model a, model b, winner model or "tie" or "both_bad"). Without `answers`,
    the comparisons' answers are not stored (faster, for counting queries)."""
    conversation = conversation or Conversation.objects.create(owner=owner)
    question = conversation.messages.create(role="user", text="Which total?")
    comparisons = Comparison.objects.bulk_create(
        [Comparison(conversation=conversation, message=question, blind=blind) for _ in outcomes]
    )
    rows = []
    for comparison, (a, b, _) in zip(comparisons, outcomes if answers else [], strict=False):
        for model, first in ((a, 400), (b, 900)):
            rows.append(Message(
                conversation=conversation, parent=question, role="assistant", model=model,
                text=f"{model} says", comparison=comparison, first_token_ms=first,
                completion_tokens=len(model),
            ))  # fmt: skip
    Message.objects.bulk_create(rows)
    picks = []
    for comparison, (a, b, result) in zip(comparisons, outcomes, strict=True):
        outcome = result if result in ("tie", "both_bad") else "winner"
        picks.append(Pick(
            comparison=comparison, user=owner, outcome=outcome, blind=blind,
            compared_models=",".join(sorted((a, b))),
            winner_model=result if outcome == "winner" else "",
            **({"created": created} if created else {}),
        ))  # fmt: skip
    Pick.objects.bulk_create(picks)
    return conversation


def test_it_counts_wins_losses_ties_and_medians_of_blind_picks_only(alice_client, alice):
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")] * 3
               + [("gpt-4o", "gemini-2.5-pro", "gemini-2.5-pro"),
                  ("gpt-4o", "gemini-2.5-pro", "both_bad")])  # fmt: skip
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gemini-2.5-pro")] * 9, blind=False)
    board = leaderboard.build(leaderboard.picks_for())
    assert board.picks == 5
    first, second = board.standings
    assert (first.model, first.wins, first.losses, first.ties, first.both_bad) == (
        "gpt-4o", 3, 1, 1, 1,
    )  # fmt: skip
    assert (second.model, second.wins, second.losses, second.ties) == ("gemini-2.5-pro", 1, 3, 1)
    assert first.strength > second.strength and first.low < first.strength < first.high
    # gpt-4o was column A (400 ms) in every comparison, gemini column B (900 ms).
    assert (first.first_token_ms, first.tokens) == (400, 6)
    assert (second.first_token_ms, second.tokens) == (900, 14)
    assert board.matrix[("gpt-4o", "gemini-2.5-pro")] == 3.5

    page = alice_client.get("/leaderboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "5 blind picks." in text and "<svg" in text
    assert text.index(">gpt-4o</th>") < text.index(">gemini-2.5-pro</th>")


def test_it_filters_by_period_and_by_review_tag(alice_client, alice):
    receipts = make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gemini-2.5-pro")] * 2)
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")] * 4)
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")] * 7,
               created=now().replace(year=now().year - 1))  # fmt: skip
    tag = Tag.objects.create(name="receipts")
    ConversationTag.objects.create(conversation=receipts, tag=tag)

    assert leaderboard.build(leaderboard.picks_for()).picks == 13
    page = alice_client.get("/leaderboard/", {"period": "30", "tag": "receipts"})
    board = page.context["board"]
    assert board.picks == 2 and board.standings[0].model == "gemini-2.5-pro"
    assert alice_client.get("/leaderboard/", {"period": "30"}).context["board"].picks == 6
    refused = alice_client.get("/leaderboard/", {"period": "2"})
    assert "That period or tag is not one of the choices" in refused.content.decode()


def test_it_takes_the_same_queries_for_10_and_10000_picks(alice_client, alice):
    def queries():
        cache.clear()  # computed afresh, not the minute-old board
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get("/leaderboard/").status_code == 200
        return len(captured)

    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")] * 10)
    ten = queries()
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gemini-2.5-pro"),
                       ("gemini-2.5-pro", "gemini-2.5-flash-image", "tie")] * 4995,
               answers=False)  # fmt: skip
    assert Pick.objects.count() == 10_000
    assert queries() == ten


def test_it_needs_a_login_and_can_be_kept_for_staff(alice_client, settings, rita):
    assert Client().get("/leaderboard/").status_code == 302
    settings.LEADERBOARD_STAFF_ONLY = True
    assert alice_client.get("/leaderboard/").status_code == 404
    staff = Client()
    staff.force_login(rita)
    assert staff.get("/leaderboard/").status_code == 200


def test_it_is_a_minute_behind_at_most_and_then_costs_no_query(alice_client, alice):
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")])
    assert alice_client.get("/leaderboard/").context["board"].picks == 1
    make_picks(alice, [("gpt-4o", "gemini-2.5-pro", "gpt-4o")])
    with CaptureQueriesContext(connection) as captured:
        again = alice_client.get("/leaderboard/")
    assert again.context["board"].picks == 1
    assert not [q for q in captured if "chat_pick" in q["sql"]]
    cache.clear()
    assert alice_client.get("/leaderboard/").context["board"].picks == 2


def test_an_empty_leaderboard_says_how_to_fill_it(alice_client):
    page = alice_client.get("/leaderboard/")
    assert "No blind picks yet" in page.content.decode()


def test_it_counts_each_persons_latest_pick(alice):
    from tests.support.review import make_comparison

    comparison, (gpt, gemini) = make_comparison(alice, blind=True)
    counted = []
    for winner, reason in ((gpt, ""), (gpt, "the total is right"), (gemini, "no, this one")):
        Pick.record(comparison, user=alice, outcome="winner", winner=winner, reason=reason)
        board = leaderboard.build(leaderboard.picks_for())
        counted.append({s.model: s.wins for s in board.standings})

    # A new reason for the same pick keeps it blind; a changed pick was made with
    # the names shown, so the blind leaderboard no longer counts the comparison.
    assert counted == [{"gpt-4o": 1, "gemini-2.5-pro": 0}] * 2 + [{}]
    (pick,) = Pick.objects.all()
    assert (pick.winner, pick.winner_model, pick.blind) == (gemini, "gemini-2.5-pro", False)
