"""The core of `ftlint fix` (and :func:`ftlint.fix`): check a file, curate it
(ftlint.curate.fix), write the kept records, the rejects and a manifest."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ftlint.curate.fix import Curated, FixOptions, curate, read_lines
from ftlint.curate.rule_fixes import fix_options
from ftlint.errors import FtlintError
from ftlint.finding import Finding
from ftlint.read.reader import Source
from ftlint.result import Report
from ftlint.rules import curation as roles
from ftlint.settings import Settings


@dataclass
class FixResult:
    """What ``ftlint fix`` (or :func:`ftlint.fix`) did: ``output`` / ``rejects`` are None when
    nothing was written (a dry run); ``curated`` holds the kept and rejected records."""

    path: str
    output: str | None
    rejects: str | None
    curated: Curated
    report: Report

    @property
    def kept(self) -> int:
        return len(self.curated.kept)

    @property
    def rejected(self) -> int:
        return len(self.curated.rejected)

    @property
    def dropped(self) -> dict[str, int]:
        return dict(sorted(self.curated.dropped.items()))

    @property
    def changed(self) -> dict[str, int]:
        return dict(sorted(self.curated.changed.items()))

    @property
    def unfixed(self) -> list[Finding]:
        return self.curated.unfixed

    def records(self) -> list[dict]:
        """The kept records as dicts, in input order (after repairs and conversion)."""
        return [k.obj for k in self.curated.kept]

    def summary(self) -> dict[str, Any]:
        return dict(self.curated.summary(), output=self.output, rejects=self.rejects)


def default_rejects(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".rejected.jsonl"


def fix_file(path: str | Source, settings: Settings, options: FixOptions | None = None, *,
             output: str | None = None, rejects: str | None = None, in_place: bool = False,
             decisions_path: str | None = None, manifest_path: str | None = None) -> FixResult:
    """Check ``path`` with ``settings`` (and their target profile), curate it, and write the kept
    records to ``output`` (or over ``path`` with ``in_place``, atomically) and the dropped ones to
    ``rejects`` (default ``OUT.rejected.jsonl``). With neither ``output`` nor ``in_place`` nothing
    is written.
    ``path`` may also be a Source holding records in memory (the Python API's dicts).

    ``decisions_path`` names a review sheet (``ftlint review``): its decisions override the fixes
    and are recorded by line in the rejects file and a manifest (``manifest_path``, default
    ``OUT.manifest.json`` when decisions are given, or with ``options.repair_json``)."""
    from dataclasses import replace

    from ftlint.curate import decisions, writers
    from ftlint.engine import build_engine
    from ftlint.read.sources import check_readable, container, require_rereadable

    source = path if isinstance(path, Source) else Source(path)
    path = source.name
    in_memory = source.lines is not None
    if not in_memory:
        check_readable(path)
        require_rereadable(path, "fix")  # stdin, a FIFO, a device: the second read would find nothing
    if output and in_place:
        raise FtlintError("give either an output file or in_place, not both")
    if in_place and in_memory:
        raise FtlintError("in_place needs a file; records given in memory have none to replace")
    if output and not in_memory and os.path.abspath(output) == os.path.abspath(path):
        raise FtlintError("the output names the input file; use --in-place to replace it")
    if in_place and (wrapped := container(path)):
        raise FtlintError(f"{path} is {wrapped}: --in-place would write plain JSON Lines over it; "
                          "write the curated file with -o OUT.jsonl instead")
    sheet = decisions.load(decisions_path) if decisions_path else None  # a bad sheet fails before the data
    report = build_engine(settings).run([source])
    lines = read_lines(source)
    options = options or FixOptions()
    if (options.redact or options.mask_rejects) and not options.redact_options:
        options = replace(options, redact_options=redact_options(settings))
    if not options.rule_options:
        options = replace(options, rule_options=fix_options(settings))
    if sheet is not None:
        fmt = report.files[0].format if report.files else None
        options = replace(options, decisions=decisions.apply_all(sheet, dict(enumerate(lines, 1)), fmt, path))
    curated = curate(report, source, options, lines=lines)
    target_path = path if in_place else output
    if target_path is None:
        return FixResult(path, None, None, curated, report)
    rejects = rejects or default_rejects(target_path)
    manifest_path = manifest_path or (default_manifest(target_path) if decisions_path or options.repair_json else None)
    input_sha = writers.sha256_source(source) if manifest_path else None  # before in_place replaces it
    writers.write_jsonl(target_path, (k.out for k in curated.kept))
    writers.write_jsonl(rejects, (r.to_json() for r in curated.rejected))
    if manifest_path:
        writers.write_json(manifest_path, fix_manifest(path, input_sha, lines, curated, target_path, rejects,
                                                       decisions_path))
    return FixResult(path, target_path, rejects, curated, report)


def default_manifest(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".manifest.json"


def fix_manifest(path: str, input_sha: str | None, lines: list[bytes], curated, out: str, rejects: str,
                 decisions_path: str | None) -> dict:
    """What fix did, deterministically (no clock): input and output hashes, per-rule counts and
    every review decision and every repair (Rule.fix, --repair-json) by line."""
    from ftlint._version import __version__
    from ftlint.curate import writers

    return {
        "manifest_version": 1,
        "tool": {"name": "ftlint", "version": __version__},
        "command": "fix",
        "input": {"path": path, "sha256": input_sha, "lines": len(lines), "format": curated.format},
        "outputs": {out: {"sha256": writers.sha256_file(out), "records": len(curated.kept)},
                    rejects: {"sha256": writers.sha256_file(rejects), "records": len(curated.rejected)}},
        "output_format": curated.out_format,
        "fixes": curated.summary(),
        "decisions_file": ({"path": decisions_path, "sha256": writers.sha256_file(decisions_path)}
                           if decisions_path else None),
        "decisions": curated.decisions,
        **({"repairs": curated.repairs} if curated.repairs else {}),
    }


def redact_options(settings) -> dict[str, Any]:
    """The pii/secret rules' options that decide what counts as a find, merged for redaction."""
    pii, secret = settings.options_for(roles.PII), settings.options_for(roles.SECRET)
    return {"allow": tuple(pii.get("allow", ())) + tuple(secret.get("allow", ())),
            "skip_fields": tuple(pii.get("skip-fields", ())) + tuple(secret.get("skip-fields", ())),
            "regions": tuple(pii.get("regions", ())) or None,
            "min_entropy": secret.get("min-entropy")}
