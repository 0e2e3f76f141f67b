"""Agreement between reviewers, checked against an example worked by hand."""

import pytest

from chat.review.agreement import agreement
from chat.review.models import Decision
from chat.review.summaries import Period, summarise
from tests.support.review import make_conversation, make_reviewer


def test_it_computes_percent_and_kappa_as_worked_by_hand():
    # Ten conversations, two reviewers each (A first, B second):
    #   A approve, B approve: 4    A approve, B flag: 1
    #   A flag,    B approve: 2    A flag,    B flag: 3
    # observed = (4 + 3) / 10 = 0.7
    # A approves 5/10, B approves 6/10:
    # expected = 0.5 * 0.6 + 0.5 * 0.4 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = ([["approve", "approve"]] * 4 + [["approve", "flag"]] + [["flag", "approve"]] * 2
             + [["flag", "flag"]] * 3)  # fmt: skip

    result = agreement(pairs)

    assert (result.pairs, result.agreed) == (10, 7)
    assert result.percent == pytest.approx(70.0)
    assert result.kappa == pytest.approx(0.4)


def test_it_counts_every_pair_of_three_reviews():
    # approve, approve, flag: pairs (a,a) (a,f) (a,f): 1 of 3 agree.
    result = agreement([["approve", "approve", "flag"]])

    assert (result.pairs, result.agreed) == (3, 1)


def test_it_leaves_kappa_undefined_when_everyone_always_approves():
    result = agreement([["approve", "approve"]] * 3)

    assert result.percent == 100 and result.kappa is None


def test_it_has_no_figure_without_two_reviews():
    assert agreement([["approve"]]).percent is None


@pytest.mark.django_db
def test_it_shows_agreement_on_the_summary(alice, client):
    rita, ravi = make_reviewer("rita"), make_reviewer("ravi")
    for first, second in [("approve", "approve"), ("flag", "flag"), ("approve", "flag"),
                          ("flag", "flag")]:  # fmt: skip
        conversation = make_conversation(alice)
        Decision.objects.create(conversation=conversation, reviewer=rita, value=first)
        Decision.objects.create(conversation=conversation, reviewer=ravi, value=second)
    # observed 3/4; A approves 2/4, B approves 1/4; expected .5*.25 + .5*.75 = .5; kappa .5
    client.force_login(rita)

    page = client.get("/admin/chat/conversation/summary/").content.decode()

    assert "<strong>75.0%</strong> of 4 pairs" in page and "κ = <strong>0.50</strong>" in page
    summary = summarise(Period.from_request({}, today=conversation.created.date()))
    assert summary["agreement"].kappa == pytest.approx(0.5)
    assert summary["rows"][-1]["agreement"].percent == pytest.approx(75.0)  # all decided today
