"""`ftlint report`: one self-contained HTML page (inline CSS, JS and SVG; no network at all, which
its Content-Security-Policy enforces) that a person reads before trusting a dataset.

Sections: summary, findings table (filterable by code, severity and text; record excerpts with PII
masked through :func:`ftlint.report.excerpt.excerpt`), label distribution (train and validation side
by side), input/output token histograms with the target's limits, duplicate clusters, coverage
figures, and each file's fingerprint. Bounded for large files: the table shows at most
``max_rows`` findings (most severe first), histograms are drawn from a seeded sample of at most
``sample`` records, and only the excerpts of shown rows are embedded. Same input, same bytes out."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ftlint._version import __version__
from ftlint.finding import Finding, Severity
from ftlint.report import charts, escape, facts
from ftlint.report.excerpt import EXCERPT_WIDTH, MASKED_BY
from ftlint.result import Report

DEFAULT_MAX_ROWS = 2000
MAX_CLUSTERS = 50
_SEV_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

CSS = """
:root{--fg:#1d2430;--muted:#5b6576;--line:#dde2ea;--bg:#f6f8fb;--err:#c62828;--warn:#b26a00;--info:#1565c0;
--s0:#3b6fd4;--s1:#e08a1e;--s2:#2e9d6a}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}header{background:#1d2430;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#b9c2d0}main{padding:8px 24px 40px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:14px 0}
h2{font-size:16px;margin:0 0 10px}table{border-collapse:collapse;width:100%}
td,h1,p,code{overflow-wrap:anywhere}th{white-space:nowrap}th code{white-space:normal}td.rule{overflow-wrap:normal}td.rule code{white-space:nowrap}
.nw{white-space:nowrap;overflow-wrap:normal}section{overflow-x:auto}
@media (max-width:900px){#findings thead{display:none}#findings tr{display:block;border-bottom:1px solid var(--line);
padding:4px 0}#findings td{display:inline-block;border:0;padding:2px 10px 2px 0}#findings td.msg,#findings td.excerpt{
display:block}#findings td.num::before{content:"line ";color:var(--muted)}}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap;overflow-wrap:normal}
td.num.wrap{white-space:normal;overflow-wrap:anywhere}.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
.card.error b{color:var(--err)}.card.warning b{color:var(--warn)}.card.info b{color:var(--info)}
.sev{font-weight:600;font-size:12px;border-radius:4px;padding:1px 6px;color:#fff;white-space:nowrap}
.sev.error{background:var(--err)}.sev.warning{background:var(--warn)}.sev.info{background:var(--info)}
.filters{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin-bottom:8px}
.filters input[type=search]{padding:4px 8px;min-width:240px}.excerpt{font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:12px;color:#333;word-break:break-word}code{font-family:ui-monospace,Menlo,Consolas,monospace}
.tablewrap{max-height:560px;overflow:auto}.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
svg.chart{background:#fff;border:1px solid var(--line);border-radius:6px;max-width:100%;height:auto}
svg .bar.s0,svg .key.s0{fill:var(--s0)}svg .bar.s1,svg .key.s1{fill:var(--s1)}svg .bar.s2,svg .key.s2{fill:var(--s2)}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .title{font-size:13px;font-weight:600}
svg .value,svg .note{fill:var(--muted)}svg .axis{stroke:#888}svg .grid{stroke:#eceff4}
svg .limit{stroke:var(--err);stroke-width:2;stroke-dasharray:5 3}svg .limit-note{fill:var(--err);font-weight:600}
.muted{color:var(--muted)}.small{font-size:12px}footer{color:var(--muted);font-size:12px;padding:0 24px 24px}
"""

# ES5, no external resources. Filters: code, severity and free text; state kept in the URL hash
# (#code=FT101&sev=error,warning&q=refund) so a filtered view can be shared or opened directly.
JS = """
(function(){
  var errors=[];
  window.addEventListener('error',function(e){errors.push(String(e.message));
    document.body.setAttribute('data-js-errors',errors.join(' | '));});
  var rows=[].slice.call(document.querySelectorAll('#findings tbody tr'));
  var code=document.getElementById('f-code'),q=document.getElementById('f-text');
  var sevs=[].slice.call(document.querySelectorAll('.f-sev'));
  var shown=document.getElementById('f-shown');
  function apply(write){
    var want={},text=(q.value||'').toLowerCase(),n=0;
    sevs.forEach(function(b){want[b.value]=b.checked;});
    rows.forEach(function(r){
      var ok=(!code.value||r.getAttribute('data-code')===code.value)&&want[r.getAttribute('data-sev')]&&
        (!text||r.textContent.toLowerCase().indexOf(text)>=0);
      r.hidden=!ok;if(ok){n++;}
    });
    shown.textContent=n+' of '+rows.length+' rows shown';
    document.body.setAttribute('data-rows-shown',String(n));
    if(write){
      var parts=[];if(code.value){parts.push('code='+encodeURIComponent(code.value));}
      var on=sevs.filter(function(b){return b.checked;}).map(function(b){return b.value;});
      if(on.length<sevs.length){parts.push('sev='+on.join(','));}
      if(q.value){parts.push('q='+encodeURIComponent(q.value));}
      try{history.replaceState(null,'',parts.length?'#'+parts.join('&'):location.pathname);}catch(e){}
    }
  }
  function readHash(){
    var h={};location.hash.replace(/^#/,'').split('&').forEach(function(p){
      var i=p.indexOf('=');if(i>0){h[p.slice(0,i)]=decodeURIComponent(p.slice(i+1));}});
    if(h.code!==undefined){code.value=h.code;}
    if(h.sev!==undefined){var s=h.sev.split(',');sevs.forEach(function(b){b.checked=s.indexOf(b.value)>=0;});}
    if(h.q!==undefined){q.value=h.q;}
  }
  code.addEventListener('change',function(){apply(true);});
  q.addEventListener('input',function(){apply(true);});
  sevs.forEach(function(b){b.addEventListener('change',function(){apply(true);});});
  readHash();apply(false);
  var drawn=[].filter.call(document.querySelectorAll('svg.chart'),function(s){
    var r=s.getBoundingClientRect();return r.width>0&&r.height>0&&s.querySelectorAll('rect.bar').length>0;});
  document.body.setAttribute('data-charts-rendered',String(drawn.length));
  document.body.setAttribute('data-ready','1');
})();
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return escape.html(value)


def _path(path: str) -> str:
    """A path as HTML that a narrow column breaks after a slash before anywhere else."""
    return '<code class="path">' + "/<wbr>".join(_e(part) for part in path.split("/")) + "</code>"


def _pct(part: int, whole: int) -> str:
    return f"{part:,} ({part / whole:.1%})" if whole else f"{part:,}"


def _order(f: Finding) -> tuple:
    return (_SEV_ORDER[f.severity], f.file_index, f.line is not None, f.line or 0, f.code)


def _table_rows(findings: Sequence[Finding], max_rows: int) -> list[Finding]:
    """At most ``max_rows`` findings, most severe first; when they must be cut, every code gets an
    equal share of the rows (a code with fewer findings leaves its unused share to the others), so
    that filtering the table by any code or severity still shows examples."""
    if len(findings) <= max_rows:
        return sorted(findings, key=_order)
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=_order):
        groups.setdefault(f.code, []).append(f)
    pending = sorted(groups, key=lambda c: (len(groups[c]), c))
    quota: dict[str, int] = {}
    left = max_rows
    while pending:
        share, extra = divmod(left, len(pending))
        if len(groups[pending[0]]) <= share:
            code = pending.pop(0)
            quota[code] = len(groups[code])
            left -= quota[code]
            continue
        for i, code in enumerate(sorted(pending)):
            quota[code] = share + (1 if i < extra else 0)
        break
    return sorted((f for code, items in groups.items() for f in items[:quota[code]]), key=_order)


def build(report: Report, *, max_rows: int = DEFAULT_MAX_ROWS, sample: int = facts.DEFAULT_SAMPLE,
          seed: int = 0, title: str | None = None) -> str:
    """The report page as a string."""
    rows = _table_rows(report.findings, max_rows)
    by_file: dict[int, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.file_index, []).append(f)
    shown_lines: dict[int, set[int]] = {}
    for f in rows:
        if f.line is not None:
            shown_lines.setdefault(f.file_index, set()).add(f.line)
    file_facts: list[facts.FileFacts] = []
    train_source = None
    for i, ds in enumerate(report.datasets):
        like = train_source if ds.role != "train" else None
        ff = facts.collect(ds, by_file.get(i, []), excerpt_lines=shown_lines.get(i, set()), sample=sample,
                           seed=seed, like_labels=like)
        if ds.role == "train" and train_source is None:
            train_source = ff.label_source
        file_facts.append(ff)
    target = next((ds.target for ds in report.datasets if ds.target is not None), None)
    chart_svgs = _charts(file_facts, target)
    name = title or (file_facts[0].path if file_facts else "ftlint")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>ftlint report: {_e(name)}</title><style>{CSS}</style></head>",
        f'<body data-expected-charts="{len(chart_svgs)}">',
        f"<header><h1>ftlint report: {_e(name)}</h1><p>ftlint {_e(__version__)}"
        f"{' &middot; target ' + _e(facts.target_name(target)) if target is not None else ''}</p></header><main>",
        _summary(report, file_facts, target),
        _findings(report, rows, file_facts),
        _chart_section(chart_svgs, file_facts),
        _clusters(file_facts),
        _coverage(file_facts),
        _fingerprint(file_facts),
        "</main>",
        f"<footer>Record excerpts are masked by {_e(MASKED_BY)} and cut to {EXCERPT_WIDTH} "
        "characters; the page embeds no whole record set and loads nothing from the network. "
        "<code>ftlint check --format json</code> lists every finding.</footer>",
        f"<script>{JS}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def render(report: Report, out: TextIO, **options) -> None:
    out.write(build(report, **{k: v for k, v in options.items() if k in ("max_rows", "sample", "seed", "title")}))


def _summary(report: Report, ff: Sequence[facts.FileFacts], target) -> str:
    s = report.summary
    total = sum(f.records for f in ff)
    cards = [("records", f"{total:,}", ""), ("errors", f"{s['errors']:,}", "error"),
             ("warnings", f"{s['warnings']:,}", "warning"), ("infos", f"{s['infos']:,}", "info")]
    html = ['<section id="summary"><h2>Summary</h2><div class="cards">']
    html += [f'<div class="card {c}"><b>{v}</b><span>{k}</span></div>' for k, v, c in cards]
    html.append("</div><table style=\"margin-top:10px\"><thead><tr><th>file</th><th>role</th><th>format</th>"
                "<th class=num>records</th><th class=num>valid</th><th class=num>errors</th>"
                "<th class=num>warnings</th><th class=num>infos</th></tr></thead><tbody>")
    for i, f in enumerate(ff):
        sev = [sum(1 for x in report.findings if x.file_index == i and x.severity is level)
               for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
        html.append(f"<tr><td>{_path(f.path)}</td><td class=nw>{_e(f.role)}</td>"
                    f"<td class=nw>{_e(f.format or 'unknown')}</td>"
                    f"<td class=num>{f.records:,}</td><td class=num>{f.valid:,}</td>"
                    + "".join(f"<td class=num>{n:,}</td>" for n in sev) + "</tr>")
    html.append("</tbody></table>")
    tname = facts.target_name(target) or "none (give --target to check a model's limits)"
    html.append(f'<p class="muted small">Target: {_e(tname)}.'
                f" Fail level: {_e(report.fail_on.value)}; a <code>ftlint check</code> of these files would exit "
                f"{report.exit_code}.</p></section>")
    return "".join(html)


def _findings(report: Report, rows: Sequence[Finding], ff: Sequence[facts.FileFacts]) -> str:
    codes = sorted(report.summary["by_code"].items())
    names = {f.code: f.name for f in report.findings}
    options = "".join(f'<option value="{_e(c)}">{_e(c)} {_e(names[c])} ({n:,})</option>' for c, n in codes)
    sev_boxes = "".join(f'<label><input type="checkbox" class="f-sev" value="{s}" checked> {s}</label>'
                        for s in ("error", "warning", "info"))
    multi = len(ff) > 1
    html = ['<section id="findings-section"><h2>Findings</h2>',
            f'<div class="filters"><label>code <select id="f-code"><option value="">all codes</option>{options}'
            f'</select></label>{sev_boxes}<input type="search" id="f-text" placeholder="filter text">'
            '<span id="f-shown" class="muted small"></span></div>']
    total = len(report.findings)
    if total > len(rows):
        html.append(f'<p class="muted small">Showing {len(rows):,} of {total:,} findings (an equal share of '
                    "rows for each code, most severe first); <code>ftlint check --format json</code> lists "
                    "them all.</p>")
    if not rows:
        html.append('<p class="muted">No findings.</p>')
    html.append('<div class="tablewrap"><table id="findings"><thead><tr><th>severity</th><th>code</th>'
                + ("<th>file</th>" if multi else "") + '<th class=num>line</th><th>message</th><th>record excerpt</th>'
                "</tr></thead><tbody>")
    for f in rows:
        sev = f.severity.value
        excerpt = ff[f.file_index].excerpts.get(f.line, "") if f.line is not None and f.file_index < len(ff) else ""
        related = (f'<div class="muted small">related lines: {_e(", ".join(map(str, f.related[:10])))}'
                   f'{" &hellip;" if len(f.related) > 10 else ""}</div>') if f.related else ""
        html.append(f'<tr data-code="{_e(f.code)}" data-sev="{sev}"><td><span class="sev {sev}">{sev}</span></td>'
                    f'<td class="rule"><code>{_e(f.code)}</code> <span class="muted small">{_e(f.name)}</span></td>'
                    + (f"<td>{_path(f.path)}</td>" if multi else "")
                    + f'<td class=num>{f.line if f.line is not None else "&mdash;"}</td>'
                    f"<td class=msg>{_e(f.message)}{related}</td><td class=excerpt>{_e(excerpt)}</td></tr>")
    html.append("</tbody></table></div></section>")
    return "".join(html)


def _charts(ff: Sequence[facts.FileFacts], target) -> list[str]:
    out = []
    labelled = [f for f in ff if f.label_counts]
    if labelled:
        keys = facts.label_rows(labelled)
        series = [(f"{f.role}: {f.path.rsplit('/', 1)[-1]}", facts.counter_counts(f.label_counts, keys))
                  for f in labelled]
        extra = len({k for f in labelled for k in f.label_counts}) - len(keys)
        title = "Label distribution" + (f" (top {len(keys)}; {extra} more not drawn)" if extra > 0 else "")
        out.append(charts.bar_chart("labels", keys, series, title))
    lim_in, lim_out = facts.token_limits(target)
    drawn = [f for f in ff if f.sampled]
    if drawn:
        names = [f"{f.role}: {f.path.rsplit('/', 1)[-1]}" for f in drawn]
        method = getattr(getattr(target, "estimator", None), "method", None) or "estimated as characters / 3"
        out.append(charts.histogram("input-tokens", [(n, f.input_tokens) for n, f in zip(names, drawn, strict=True)],
                                    "Prompt length (input tokens per record)", f"tokens ({method})",
                                    limit=lim_in[0] if lim_in else None,
                                    limit_label=lim_in[1] if lim_in else ""))
        if any(f.output_tokens.size and f.output_tokens.max() > 0 for f in drawn):
            out.append(charts.histogram("output-tokens",
                                        [(n, f.output_tokens) for n, f in zip(names, drawn, strict=True)],
                                        "Completion length (output tokens per record)", f"tokens ({method})",
                                        limit=lim_out[0] if lim_out else None,
                                        limit_label=lim_out[1] if lim_out else ""))
    return out


def _chart_section(svgs: Sequence[str], ff: Sequence[facts.FileFacts]) -> str:
    notes = []
    for f in ff:
        if f.sampled < f.valid:
            notes.append(f"{_e(f.path)}: lengths drawn from a seeded sample of {f.sampled:,} of {f.valid:,} records")
    if not any(f.label_counts for f in ff):
        notes.append("no label distribution: no record carries a label and the completions do not look like class names")
    body = "".join(svgs) if svgs else '<p class="muted">Nothing to draw: no valid records.</p>'
    note = "".join(f'<p class="muted small">{n}.</p>' for n in notes)
    return f'<section id="charts"><h2>Distributions</h2><div class="charts">{body}</div>{note}</section>'


def _clusters(ff: Sequence[facts.FileFacts]) -> str:
    html = ['<section id="clusters"><h2>Duplicate clusters</h2>']
    any_cluster = False
    for f in ff:
        if not f.clusters:
            continue
        any_cluster = True
        in_clusters = sum(len(g) for g in f.clusters)
        html.append(f'<p>{_path(f.path)}: {len(f.clusters):,} clusters, {in_clusters:,} records '
                    f"(FT201 exact and FT202 near duplicates); a fix keeps one record of each.</p>"
                    '<table><thead><tr><th class=num>size</th><th>lines</th><th>first record</th></tr></thead><tbody>')
        for g in f.clusters[:MAX_CLUSTERS]:
            lines = ", ".join(map(str, g[:12])) + (" &hellip;" if len(g) > 12 else "")
            html.append(f"<tr><td class=num>{len(g)}</td><td>{lines}</td>"
                        f"<td class=excerpt>{_e(f.excerpts.get(g[0], ''))}</td></tr>")
        html.append("</tbody></table>")
        if len(f.clusters) > MAX_CLUSTERS:
            html.append(f'<p class="muted small">{len(f.clusters) - MAX_CLUSTERS:,} smaller clusters not shown.</p>')
    if not any_cluster:
        html.append('<p class="muted">No duplicate clusters (no FT201/FT202 findings with related lines).</p>')
    html.append("</section>")
    return "".join(html)


def _coverage(ff: Sequence[facts.FileFacts]) -> str:
    keys: list[str] = []
    for f in ff:
        keys += [k for k in f.coverage if k not in keys]
    if not keys:
        return '<section id="coverage"><h2>Coverage</h2><p class="muted">No valid records.</p></section>'
    head = "".join(f"<th class=num>{_e(f.role)}: <code>{_e(f.path.rsplit('/', 1)[-1])}</code></th>" for f in ff)
    html = [f'<section id="coverage"><h2>Coverage</h2><table><thead><tr><th>figure</th>{head}</tr></thead><tbody>']
    for k in keys:
        cells = []
        for f in ff:
            v = f.coverage.get(k)
            if isinstance(v, tuple):
                cells.append(_pct(*v))
            elif isinstance(v, dict):
                cells.append(" / ".join(f"{x:,}" for x in v.values()))
            else:
                cells.append("" if v is None else (f"{v:,}" if isinstance(v, int) else str(v)))
        # a cell that names labels (largest / smallest class) may wrap; figures stay on one line
        html.append(f"<tr><td>{_e(k)}</td>" + "".join(
            f"<td class=\"num{' wrap' if any(ch.isalpha() for ch in c) else ''}\">{_e(c)}</td>" for c in cells) + "</tr>")
    html.append('</tbody></table><p class="muted small">Token figures are from the sampled records. '
                "The FT4 rules (length outliers, low diversity, edge cases) report problems with these figures "
                "in the findings table.</p></section>")
    return "".join(html)


def _fingerprint(ff: Sequence[facts.FileFacts]) -> str:
    html = ['<section id="fingerprint"><h2>Fingerprint</h2><table><thead><tr><th>file</th><th>sha256</th>'
            "<th class=num>bytes</th><th class=num>records</th><th class=num>valid</th>"
            "<th>labels</th></tr></thead><tbody>"]
    for f in ff:
        labels = f"{len(f.label_counts):,} (from {f.label_source})" if f.label_source else "none"
        html.append(f"<tr><td>{_path(f.path)}</td><td><code>{_e(f.sha256 or 'n/a (not a file)')}</code></td>"
                    f"<td class=num>{f.size_bytes if f.size_bytes is not None else 0:,}</td>"
                    f"<td class=num>{f.records:,}</td><td class=num>{f.valid:,}</td><td>{_e(labels)}</td></tr>")
    html.append("</tbody></table></section>")
    return "".join(html)
