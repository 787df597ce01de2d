"""A quality-versus-cost chart as a static SVG, written at build time (no script, no outside request).

Score on the vertical axis, parameters on a logarithmic horizontal axis; every point is a link to
its model's page with the model's name as label and tooltip; the Pareto front (no model both
cheaper and better) is drawn as a line through its points. Every text is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from markupsafe import Markup, escape

from generator.site.markup import human_count
from generator.site.views.results import Point

WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 52


def _ticks(lo: float, hi: float) -> list[float]:
    """Round score ticks covering lo..hi (about five)."""
    span = hi - lo or 1.0
    step = 10 ** math.floor(math.log10(span / 5))
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= 6:
            step *= mult
            break
    start = math.floor(lo / step) * step
    return [round(start + i * step, 6) for i in range(int((hi - start) / step) + 2)]


def chart_svg(
    points: list[Point], href: Callable[[str], str], title: str, x_label: str, y_label: str, front_label: str
) -> Markup:
    """The chart of ``points``; ``href(model_id)`` is each point's link, relative to the page."""
    if not points:
        return Markup("")
    xs = [math.log10(p.cost) for p in points]
    ys = [p.score for p in points]
    x_lo, x_hi = math.floor(min(xs) * 2) / 2, math.ceil(max(xs) * 2) / 2
    if x_hi == x_lo:
        x_hi += 0.5
    y_ticks = _ticks(min(ys), max(ys))
    y_lo, y_hi = y_ticks[0], y_ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(cost: int) -> float:
        return LEFT + (math.log10(cost) - x_lo) / (x_hi - x_lo) * plot_w

    def py(score: float) -> float:
        return TOP + (1 - (score - y_lo) / ((y_hi - y_lo) or 1)) * plot_h

    # role "figure", not "img": its points are links, and an image has no focusable parts (axe-core).
    out = [
        f'<svg class="mmcat-chart" role="figure" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>'
    ]
    for tick in y_ticks:
        y = py(tick)
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for exponent in (d + math.log10(m) for d in range(math.floor(x_lo), math.ceil(x_hi) + 1) for m in (1, 3)):
        if not x_lo - 1e-9 <= exponent <= x_hi + 1e-9:
            continue
        x = LEFT + (exponent - x_lo) / (x_hi - x_lo) * plot_w
        out.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}"/>'
            f'<text class="tick" x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(human_count(int(round(10**exponent, -int(exponent) + 1))))}</text>"
        )
    out.append(
        f'<text class="axis" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x_label)}</text>'
        f'<text class="axis" transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle">'
        f"{escape(y_label)}</text>"
    )
    front = sorted((p for p in points if p.pareto), key=lambda p: p.cost)
    if len(front) > 1:
        path = " ".join(f"{px(p.cost):.1f},{py(p.score):.1f}" for p in front)
        out.append(f'<polyline class="front" points="{path}"><title>{escape(front_label)}</title></polyline>')
    for p in sorted(points, key=lambda p: (p.pareto, p.cost)):
        x, y = px(p.cost), py(p.score)
        name = escape(p.model.name)
        tip = escape(f"{p.model.name}: {p.score:g}, {human_count(p.cost)}")
        cls = "point front-point" if p.pareto else "point"
        label = f'<text class="label" x="{x + 6:.1f}" y="{y - 6:.1f}">{name}</text>' if p.pareto else ""
        out.append(
            f'<a href="{escape(href(p.model.id))}" data-model="{escape(p.model.id)}" data-score="{p.score:g}" '
            f'data-cost="{p.cost}"><circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{tip}</title></circle>{label}</a>"
        )
    out.append("</svg>")
    return Markup("".join(out))
