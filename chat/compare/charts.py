"""The leaderboard's chart, drawn on the server as SVG: each model's
Bradley–Terry strength as a dot on its 95% interval. Colours come from classes
(static/css/leaderboard.css), so the markup has no style."""

from django.utils.html import format_html, format_html_join

WIDTH, ROW, LEFT, RIGHT, TOP = 720, 28, 200, 20, 24


def strengths(standings):
    rated = [s for s in standings if s.strength is not None]
    if not rated:
        return ""
    low = min(s.low if s.low is not None else s.strength for s in rated)
    high = max(s.high if s.high is not None else s.strength for s in rated)
    span = (high - low) or 1
    low, high = low - span * 0.05, high + span * 0.05

    def x(value):
        return round(LEFT + (value - low) / (high - low) * (WIDTH - LEFT - RIGHT), 1)

    height = TOP + ROW * len(rated) + 8
    rows = format_html_join(
        "",
        '<text class="label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<line class="interval" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<circle class="estimate" cx="{}" cy="{}" r="5"></circle>',
        (
            (LEFT - 10, TOP + ROW * n + 5, s.model,
             x(s.low if s.low is not None else s.strength), TOP + ROW * n,
             x(s.high if s.high is not None else s.strength), TOP + ROW * n,
             x(s.strength), TOP + ROW * n)
            for n, s in enumerate(rated)
        ),
    )  # fmt: skip
    ticks = format_html_join(
        "",
        '<text class="tick" x="{}" y="14" text-anchor="middle">{}</text>',
        ((x(v), round(v)) for v in (low + (high - low) * f for f in (0.1, 0.5, 0.9))),
    )
    title = "Strength (Bradley–Terry, Elo scale) with its 95% interval"
    return format_html(
        '<figure class="leaderboard-chart"><figcaption>{}</figcaption>'
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}</svg></figure>',
        title, WIDTH, height, title, ticks, rows,
    )  # fmt: skip
