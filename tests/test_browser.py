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
from ftlint.engine import Engine
from ftlint.report import html

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
    engine = Engine(api.cfg.load(None, discover=False))
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
