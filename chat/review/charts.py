"""SVG charts drawn on the server. Colours come from classes the review
stylesheet sets for light and dark mode, so the markup has no style."""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 720, 200
LEFT, BOTTOM, TOP = 48, 24, 10
SERIES_CLASSES = 6


def _scale(series):
    top = max((v for values in series.values() for v in values if v), default=0)
    return top or 1


def _frame(title, days, top, body, series):
    plot_h = HEIGHT - BOTTOM - TOP
    ticks = format_html_join(
        "", '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        ((LEFT - 4, TOP + plot_h - plot_h * f + 4, _number(top * f)) for f in (0, 0.5, 1)),
    )  # fmt: skip
    step = max(1, len(days) // 7)
    labels = format_html_join(
        "", '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_x(i, len(days)) + _band(len(days)) / 2, HEIGHT - 6, d.strftime("%b %d"))
         for i, d in enumerate(days) if i % step == 0),
    )  # fmt: skip
    legend = format_html_join(
        "",
        '<li><span class="swatch s{}"></span>{}</li>',
        ((n % SERIES_CLASSES, name) for n, name in enumerate(series)),
    )
    return format_html(
        '<figure class="review-chart"><figcaption>{}</figcaption>'
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>{}{}{}</svg>'
        '<ul class="legend">{}</ul></figure>',
        title, WIDTH, HEIGHT, title, LEFT, HEIGHT - BOTTOM, WIDTH, HEIGHT - BOTTOM,
        ticks, labels, mark_safe(body), legend,
    )  # fmt: skip


def _number(value):
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def _band(count):
    return (WIDTH - LEFT) / max(count, 1)


def _x(index, count):
    return LEFT + index * _band(count)


def bars(title, days, series, *, grouped=False):
    """One bar group (side by side) or stack per day; each rect has a tooltip."""
    top = (
        _scale(series)
        if grouped
        else max([sum(v) for v in zip(*series.values(), strict=True)] or [0]) or 1
    )
    plot_h = HEIGHT - BOTTOM - TOP
    band = _band(len(days))
    rects = []
    for i, day in enumerate(days):
        base = 0
        for n, (name, values) in enumerate(series.items()):
            value = values[i] or 0
            h = plot_h * value / top
            if grouped:
                width = band * 0.8 / len(series)
                x = _x(i, len(days)) + band * 0.1 + n * width
                y = TOP + plot_h - h
            else:
                width, x = band * 0.8, _x(i, len(days)) + band * 0.1
                y = TOP + plot_h - h - base
                base += h
            rects.append(
                f'<rect class="s{n % SERIES_CLASSES}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{width:.1f}" height="{h:.1f}"><title>{escape(name)} '
                f"{day:%Y-%m-%d}: {value:,}</title></rect>"
            )
    return _frame(title, days, top, "".join(rects), series)


def lines(title, days, series, *, unit=" ms"):
    """A polyline per series; days without data are skipped."""
    top = _scale(series)
    plot_h = HEIGHT - BOTTOM - TOP
    band = _band(len(days))
    body = []
    for n, (name, values) in enumerate(series.items()):
        points = [
            (_x(i, len(days)) + band / 2, TOP + plot_h - plot_h * v / top, days[i], v)
            for i, v in enumerate(values)
            if v is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        body.append(f'<polyline class="line s{n % SERIES_CLASSES}" points="{path}"></polyline>')
        body.extend(
            f'<circle class="s{n % SERIES_CLASSES}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
            f"<title>{escape(name)} {day:%Y-%m-%d}: {v:,}{unit}</title></circle>"
            for x, y, day, v in points
        )
    return _frame(title, days, top, "".join(body), series)
