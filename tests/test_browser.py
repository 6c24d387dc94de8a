"""The HTML report in a real browser: headless Chromium (Debian's `chromium`, which .ci/run
installs) opens the page from a file:// URL with no network, and we check what it drew.

- `--dump-dom` gives the DOM after the page's script ran: the script records how many charts have
  a non-zero layout box with bars in them, how many findings rows the filter shows, and any
  uncaught error.
- `--enable-logging=stderr --v=0` prints every console message (errors, CSP violations, failed
  loads) as a `CONSOLE` line: the report must print none.
- `--screenshot` gives a PNG whose colours (read with Pillow) show the charts' bars were painted.

Skipped with the reason when no Chromium is installed, except under CI (the CI environment
variable), where a missing browser fails the test instead."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ftlint import api
from ftlint.engine import Engine, build_engine
from ftlint.report import html
from ftlint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DIRTY = ROOT / "sample_data" / "support_tickets_dirty.jsonl"
CLEAN = ROOT / "sample_data" / "support_tickets.jsonl"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# the CSS series colours (--s0 train, --s1 validation)
TRAIN_RGB = (0x3B, 0x6F, 0xD4)
VALIDATION_RGB = (0xE0, 0x8A, 0x1E)


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = ("no Chromium found (looked for " + ", ".join(BROWSERS) + "); install Debian's `chromium` "
              "(apt-get install chromium) to run the browser tests; .ci/run installs it")
    if os.environ.get("CI"):
        pytest.fail("CI is set but " + reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> str:
    return _browser()


def _run(browser: str, url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    profile.mkdir()
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _attr(dom: str, name: str) -> str | None:
    m = re.search(r"<body[^>]*\s" + re.escape(name) + r'="([^"]*)"', dom)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    engine = Engine(Settings())
    engine.keep_examples = True
    report = engine.run(api.sources_of([str(DIRTY)]), api.sources_of([str(CLEAN)]))
    out.write_text(html.build(report), encoding="utf-8")
    return out, report


@pytest.fixture(scope="module")
def page(built) -> Path:
    return built[0]


def test_charts_render_and_no_errors(browser, page, tmp_path):
    proc = _run(browser, page.as_uri(), tmp_path, "--dump-dom", "--window-size=1400,1000")
    dom = proc.stdout
    assert _attr(dom, "data-ready") == "1", f"the page's script did not finish:\n{proc.stderr[-2000:]}"
    assert _attr(dom, "data-js-errors") is None
    assert _console(proc.stderr) == []
    expected = int(_attr(dom, "data-expected-charts") or 0)
    assert expected == 3  # labels (train vs validation), prompt lengths, completion lengths
    assert _attr(dom, "data-charts-rendered") == str(expected)
    assert len(re.findall(r'<svg class="chart"', dom)) == expected
    # the label chart: 10 spellings (6 labels + 4 planted variants), a bar for each file
    labels = re.search(r'<svg class="chart" data-chart="labels".*?</svg>', dom, re.S).group(0)
    assert len(re.findall(r'<rect class="bar s0"', labels)) == 10
    assert len(re.findall(r'<rect class="bar s1"', labels)) == 10


def test_filter_from_url(browser, built, tmp_path):
    page, report = built
    proc = _run(browser, page.as_uri() + "#code=FT101", tmp_path, "--dump-dom")
    assert _attr(proc.stdout, "data-rows-shown") == "2"  # lines 17 and 96
    assert _console(proc.stderr) == []
    proc = _run(browser, page.as_uri() + "#sev=warning,info", tmp_path, "--dump-dom")
    expected = sum(1 for f in report.findings if f.severity.value in ("warning", "info"))
    assert _attr(proc.stdout, "data-rows-shown") == str(expected)
    assert int(_attr(proc.stdout, "data-rows-shown")) < len(report.findings)


def test_screenshot_is_painted(browser, page, tmp_path):
    shot = tmp_path / "shot.png"
    proc = _run(browser, page.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1400,2400",
                "--hide-scrollbars")
    assert shot.exists(), proc.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1400, 2400)
    colours = _count_colours(shot, (TRAIN_RGB, VALIDATION_RGB))
    # bars of both series are painted (thousands of pixels each), not a blank page
    assert colours[TRAIN_RGB] > 2000, colours
    assert colours[VALIDATION_RGB] > 2000, colours


def test_harness_catches_a_broken_page(browser, tmp_path):
    """The console check above can fail: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    proc = _run(browser, bad.as_uri(), tmp_path, "--dump-dom")
    assert any("undefinedFunction" in line for line in _console(proc.stderr))


def _count_colours(png: Path, wanted) -> dict[tuple[int, int, int], int]:
    from PIL import Image

    with Image.open(png) as im:
        counts = dict((c, n) for n, c in im.convert("RGB").getcolors(maxcolors=1 << 24))
    return {c: counts.get(c, 0) for c in wanted}


# ------------------------------------------------------------------------------ layout (issue 22)
#
# A script appended to a copy of the page (the page's CSP allows inline scripts) measures what the
# browser laid out: the document's scroll width against the window's, any section or table box
# that scrolls inside, and any two texts (or a text and a bar) of one chart that overlap.

MEASURE = """<script>(function(){
function hit(a,b){return a.width>0&&b.width>0&&a.left<b.right-0.5&&b.left<a.right-0.5&&a.top<b.bottom-0.5&&b.top<a.bottom-0.5;}
var ov=[];
[].forEach.call(document.querySelectorAll('svg.chart'),function(svg){
  var t=[].map.call(svg.querySelectorAll('text'),function(x){return [x,x.getBoundingClientRect()];});
  var bars=[].map.call(svg.querySelectorAll('rect.bar,rect.key'),function(x){return x.getBoundingClientRect();});
  for(var i=0;i<t.length;i++){
    for(var j=i+1;j<t.length;j++){if(hit(t[i][1],t[j][1])){ov.push(t[i][0].textContent+' / '+t[j][0].textContent);}}
    for(var k=0;k<bars.length;k++){if(hit(t[i][1],bars[k])){ov.push(t[i][0].textContent+' / a bar');}}
  }});
var inner=[].filter.call(document.querySelectorAll('section,.tablewrap'),function(x){
  return x.scrollWidth>x.clientWidth+1;}).map(function(x){return x.id||x.className;});
var d=document.documentElement;
document.body.setAttribute('data-scroll-width',String(d.scrollWidth));
document.body.setAttribute('data-client-width',String(d.clientWidth));
document.body.setAttribute('data-inner-scroll',inner.join(' '));
document.body.setAttribute('data-overlaps',ov.join(' | '));
})();</script>"""


def _layout(browser: str, page: Path, tmp: Path, width: int) -> dict[str, str]:
    probe = tmp / f"probe-{width}-{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    proc = _run(browser, probe.as_uri(), tmp, "--dump-dom", f"--window-size={width},1000")
    body = re.search(r"<body[^>]*>", proc.stdout)
    assert body, proc.stderr[-2000:]
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', body.group(0)))


@pytest.fixture(scope="module")
def haiku_page(tmp_path_factory) -> Path:
    """The sample data with its validation file and a target: label variants ('billing ' among
    them) and the off-scale token-limit notes on both histograms."""
    out = tmp_path_factory.mktemp("haiku") / "report.html"
    engine = build_engine(Settings(target="claude-3-haiku"))
    engine.keep_examples = True
    report = engine.run(api.sources_of([str(DIRTY)]), api.sources_of([str(ROOT / "sample_data" / "support_tickets_val.jsonl")]))
    out.write_text(html.build(report), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    """Long unbroken names everywhere: a deep folder, an 80-character file name, a long label and a
    240-character token in a record."""
    import json

    base = tmp_path_factory.mktemp("hostile")
    folder = base / ("customer_support_exports_" + "x" * 60)
    folder.mkdir()
    rows = [{"input": f"Ticket {i}: my invoice number {i * 7919} shows a charge for seat {i}",
             "output": ("billing", "technical_issue", "account_access")[i % 3]} for i in range(60)]
    rows += [{"input": "Token " + "A9" * 120 + " leaked", "output": "technical_issue"},
             {"input": "x", "output": "a_very_long_label_name_that_goes_on_and_on_without_any_break_points_at_all"}]
    data = folder / ("tickets_" + "y" * 80 + ".jsonl")
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    engine = Engine(Settings())
    engine.keep_examples = True
    report = engine.run(api.sources_of([str(data)]), [])
    out = base / "report.html"
    out.write_text(html.build(report), encoding="utf-8")
    return out


@pytest.mark.parametrize("width", [1400, 800])
def test_no_sideways_scroll_and_no_overlap(browser, haiku_page, hostile_page, tmp_path, width):
    page = _layout(browser, haiku_page, tmp_path, width)
    assert int(page["data-scroll-width"]) <= int(page["data-client-width"]), page
    assert page["data-inner-scroll"] == "", page  # nothing scrolls inside either
    assert page["data-overlaps"] == "", page  # no label covers another, nor a bar
    wild = _layout(browser, hostile_page, tmp_path, width)
    assert int(wild["data-scroll-width"]) <= int(wild["data-client-width"]), wild
    assert wild["data-overlaps"] == "", wild


def test_label_with_trailing_space_is_not_drawn_as_a_duplicate(haiku_page):
    text = haiku_page.read_text(encoding="utf-8")
    chart = re.search(r'<svg class="chart" data-chart="labels".*?</svg>', text, re.S).group(0)
    ticks = re.findall(r'<text class="tick"[^>]*><title>([^<]*)</title>([^<]*)</text>', chart)
    drawn = [shown for _, shown in ticks]
    assert len(drawn) == len(set(drawn)), drawn  # 'billing' and 'billing ' are two distinct labels on the page
    assert "billing\u2423" in drawn
    tip = dict((shown, title) for title, shown in ticks)["billing\u2423"]
    assert "trailing whitespace" in tip
