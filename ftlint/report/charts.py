"""Hand-made inline SVG charts for the HTML report: a grouped horizontal bar chart and a histogram.

Why not matplotlib: the report needs two chart kinds, and matplotlib (with Pillow, fontTools,
kiwisolver, contourpy) adds about 40 MB to every install of a linter that also runs as a
pre-commit hook, about half a second of import time to each report, and SVG files that embed
glyph outlines. Plain SVG elements are a few kB, styled by the page's CSS, carry tooltips
(``<title>``) and stay deterministic byte for byte. numpy (already a dependency) does the binning.

Every chart is ``<svg class="chart" data-chart=NAME>`` and every drawn bar a ``<rect class="bar">``,
so a test (or a browser) can count what was drawn."""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ftlint.report import escape

WIDTH = 640
SERIES_CLASSES = ("s0", "s1", "s2")  # colours live in the page's CSS


def _fmt(n: float) -> str:
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    if float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:.1f}"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = max(span, 1e-9) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _svg(name: str, height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" data-chart="{escape.html(name)}" role="img" aria-label="{escape.html(label)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>")


CHAR_W = 6.6  # px per character of the 11px labels, generous, to keep labels apart


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    """Keys in one row; long names are cut (the whole name in the tooltip) so the row fits."""
    out = []
    room = (WIDTH - 8 - x) / max(len(names), 1) - 24
    most = max(int(room / CHAR_W), 8)
    for i, name in enumerate(names):
        shown = name if len(name) <= most else name[: most - 1] + "\u2026"
        out.append(f'<rect class="key {SERIES_CLASSES[i % 3]}" x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10"/>'
                   f'<text class="legend" x="{x + 14:.1f}" y="{y:.1f}"><title>{escape.html(name)}</title>'
                   f'{escape.html(shown)}</text>')
        x += 24 + CHAR_W * len(shown)
    return out


def bar_chart(name: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
              title: str) -> str:
    """Horizontal bars, one row per category, one bar per series, as a share of each series' total
    (so a small validation file compares with its training file); counts are in the labels."""
    gap = 14  # between the bars of one row: more than a value label's height, so labels never touch
    row_h = 10 + gap * len(series)
    left, right, top = 170, 80, 34 if len(series) == 1 else 50
    height = top + row_h * len(categories) + 30
    plot_w = WIDTH - left - right
    totals = [max(sum(c), 1) for _, c in series]
    shares = [[v / t for v in counts] for (_, counts), t in zip(series, totals, strict=True)]
    peak = max((s for row in shares for s in row), default=0) or 1.0
    body = [f'<text class="title" x="8" y="18">{escape.html(title)}</text>']
    if len(series) > 1:
        body += _legend([n for n, _ in series], 8, 38)  # from the left edge: room for whole file names
    for r, cat in enumerate(categories):
        y0 = top + r * row_h
        drawn = escape.visible_edges(cat)  # 'billing ' is drawn 'billing␣', not as a second 'billing'
        short = drawn if len(drawn) <= 24 else drawn[:23] + "\u2026"
        body.append(f'<text class="tick" x="{left - 6}" y="{y0 + row_h / 2 + 3:.1f}" text-anchor="end">'
                    f'<title>{escape.html(repr(cat))}{escape.html(escape.edge_note(cat))}</title>'
                    f'{escape.html(short)}</text>')
        for s, (sname, counts) in enumerate(series):
            share = shares[s][r]
            w = plot_w * share / peak
            y = y0 + 5 + gap * s
            body.append(f'<rect class="bar {SERIES_CLASSES[s % 3]}" x="{left}" y="{y}" width="{w:.1f}" height="10">'
                        f'<title>{escape.html(sname)}: {escape.html(cat)}: {counts[r]:,} ({share:.1%})</title></rect>'
                        f'<text class="value" x="{left + w + 4:.1f}" y="{y + 9}">{counts[r]:,} ({share:.0%})</text>')
    y_axis = top + row_h * len(categories)
    body.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{y_axis}"/>')
    body.append(f'<text class="note" x="{left}" y="{y_axis + 18}">share of each file\'s labelled records</text>')
    return _svg(name, height, body, title)


def histogram(name: str, series: Sequence[tuple[str, Sequence[float]]], title: str, xlabel: str,
              limit: float | None = None, limit_label: str = "limit", bins: int = 40) -> str:
    """Counts per bin of each series (bins shared, as shares when there are several series) with an
    optional limit drawn as a vertical line; a limit far beyond the data is noted, not drawn to scale."""
    arrays = [np.asarray(v, dtype=float) for _, v in series]
    data_max = max((float(a.max()) for a in arrays if a.size), default=0.0)
    hi = max(data_max, 1.0)
    off_scale = False
    if limit is not None and limit > 0:
        if limit <= 2.5 * hi:
            hi = max(hi, limit * 1.04)
        else:
            off_scale = True
    # small integer counts: one bin per value, its tick under the bar's middle, and the limit line
    # after the bar of the limit's own value (bars right of the line are over the limit)
    offset = 0.0
    if hi <= bins and all(np.array_equal(a, np.round(a)) for a in arrays):
        edges = np.arange(0.0, math.ceil(hi) + 2.0)
        hi = float(edges[-1])
        bins = len(edges) - 1
        offset = 0.5
    else:
        edges = np.linspace(0.0, hi, bins + 1)
    counts = [np.histogram(a, bins=edges)[0] if a.size else np.zeros(bins, dtype=int) for a in arrays]
    relative = len(series) > 1
    values = [c / max(int(c.sum()), 1) if relative else c.astype(float) for c in counts]
    peak = max((float(v.max()) for v in values if v.size), default=0.0) or 1.0
    left, right, bottom = 56, 16, 44
    top = 50 if len(series) > 1 else 34
    has_limit = limit is not None and limit > 0
    if has_limit:
        top += 16  # a row of its own for the limit's note, above the bars: it never covers one
    height = 250 + top - 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    base = top + plot_h
    body = [f'<text class="title" x="8" y="18">{escape.html(title)}</text>']
    if relative:
        body += _legend([n for n, _ in series], left, 38)
    step = _nice_step(peak, 4)
    tick = 0.0
    while tick <= peak + 1e-12:
        y = base - plot_h * tick / peak
        text = f"{tick:.0%}" if relative else _fmt(tick)
        body.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}"/>'
                    f'<text class="tick" x="{left - 6}" y="{y + 3:.1f}" text-anchor="end">{text}</text>')
        tick += step
    bin_w = plot_w / bins
    n = len(series)
    for s, ((sname, _), v, c) in enumerate(zip(series, values, counts, strict=True)):
        w = max(bin_w / n - 1, 0.8)
        for i in range(bins):
            if c[i] == 0:
                continue
            h = max(plot_h * float(v[i]) / peak, 1.0)
            x = left + i * bin_w + s * (bin_w / n)
            a = math.ceil(edges[i])
            b = max(a, math.ceil(edges[i + 1]) - 1)
            span = _fmt(a) if a == b else f"{_fmt(a)}\u2013{_fmt(b)}"
            body.append(f'<rect class="bar {SERIES_CLASSES[s % 3]}" x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" '
                        f'height="{h:.1f}"><title>{escape.html(sname)}: {span} '
                        f'tokens: {int(c[i]):,} records</title></rect>')
    xstep = max(_nice_step(hi, 6), 1.0) if offset else _nice_step(hi, 6)
    tick = 0.0
    while tick + offset <= hi + 1e-9:
        x = left + plot_w * (tick + offset) / hi
        body.append(f'<line class="axis" x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}"/>'
                    f'<text class="tick" x="{x:.1f}" y="{base + 16}" text-anchor="middle">{_fmt(tick)}</text>')
        tick += xstep
    body.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}"/>')
    body.append(f'<text class="note" x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                f'{escape.html(xlabel)}</text>')
    if has_limit:
        if off_scale:
            body.append(f'<text class="limit-note" x="{WIDTH - right}" y="{top - 5}" text-anchor="end">'
                        f'{escape.html(limit_label)}: {limit:,.0f} tokens (off scale \u2192)</text>')
        else:
            x = left + plot_w * (limit + 2 * offset) / hi
            # the note beside the line, on the side with room for it
            anchor, nx = ("end", x - 4) if x > left + plot_w / 2 else ("start", x + 4)
            body.append(f'<line class="limit" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}"/>'
                        f'<text class="limit-note" x="{nx:.1f}" y="{top - 5}" text-anchor="{anchor}">'
                        f'{escape.html(limit_label)}: {limit:,.0f}</text>')
    return _svg(name, height, body, title)
