"""The leaderboard page: everyone's blind picks, for every logged-in person
(or staff only, LEADERBOARD_STAFF_ONLY), filtered by period and review tag."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.timezone import now
from django.views.decorators.http import require_GET

from chat.compare import charts, leaderboard

CACHE_SECONDS = 60
PERIODS = [("all", "All time"), ("7", "Last 7 days"), ("30", "Last 30 days"),
           ("90", "Last 90 days")]  # fmt: skip


class LeaderboardFilter(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False)
    tag = forms.ChoiceField(required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Every conversation"), *((t, t) for t in tags)]


@login_required
@require_GET
def leaderboard_page(request):
    if settings.LEADERBOARD_STAFF_ONLY and not request.user.is_staff:
        raise Http404("The leaderboard is for staff.")
    tags = leaderboard.tag_names()
    form = LeaderboardFilter(request.GET or None, tags=tags)
    period, tag = "all", ""
    if form.is_valid():
        period, tag = form.cleaned_data["period"] or "all", form.cleaned_data["tag"]
    since = None if period == "all" else now() - timedelta(days=int(period))
    # A minute behind at most: opening it again costs no query.
    board = cache.get_or_set(
        f"chat.compare.leaderboard:{period}:{tag}",
        lambda: leaderboard.build(leaderboard.picks_for(since=since, tag=tag)),
        CACHE_SECONDS,
    )
    context = {
        "board": board,
        "form": form if form.is_bound else LeaderboardFilter(tags=tags),
        "chart": charts.strengths(board.standings),
        "matrix": [
            (row, [board.matrix.get((row, column)) for column in board.models])
            for row in board.models
        ],
        "invalid": form.is_bound and not form.is_valid(),
    }
    return render(request, "chat/leaderboard.html", context)
