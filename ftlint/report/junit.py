"""JUnit XML, for CI test reports (GitLab's `artifacts:reports:junit`, Jenkins, Azure).

`<testsuites>` holds a `<testsuite>` per checked file and a `<testcase>` per finding. A finding at
or above the fail level (`--fail-on`, default error) has a `<failure>` (type = the code, message =
the finding's message); one below it is a passing testcase whose `<system-out>` carries the
finding, so that the CI's test report fails exactly when `ftlint check` exits 1. A file without
findings gets one passing testcase, so a clean file shows as passed rather than as an empty suite."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from ftlint.report.paths import relative
from ftlint.report.text import location
from ftlint.result import Report

# XML 1.0 cannot carry these even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def to_element(report: Report) -> ET.Element:
    by_file = {k: list(g) for k, g in groupby(report.findings, key=lambda f: f.file_index)}
    root = ET.Element("testsuites", name="ftlint", tests="0", failures="0", errors="0")
    tests = failures = 0
    for index, info in enumerate(report.files):
        found = by_file.get(index, [])
        path = relative(info.path)
        failing = sum(1 for f in found if _fails(f, report))
        suite = ET.SubElement(root, "testsuite", name=_clean(path), tests=str(max(1, len(found))),
                              failures=str(failing), errors="0", skipped="0")
        tests += max(1, len(found))
        failures += failing
        if not found:
            ET.SubElement(suite, "testcase", name="ftlint check", classname=_clean(path), file=_clean(path))
            continue
        for f in found:
            where = f"line {f.line}" if f.line is not None else "dataset"
            case = ET.SubElement(suite, "testcase", name=_clean(f"{f.code} {f.name} ({where})"),
                                 classname=_clean(path), file=_clean(path))
            if f.line is not None:
                case.set("line", str(f.line))
            text = _clean(f"{location(f)}: {f.code} [{f.severity.value}] {f.message}")
            if _fails(f, report):
                failure = ET.SubElement(case, "failure", type=f.code, message=_clean(f.message))
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    return root


def _fails(f, report: Report) -> bool:
    return f.severity.rank >= report.fail_on.rank


def render(report: Report, out: TextIO, **_) -> None:
    tree = ET.ElementTree(to_element(report))
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(out, encoding="unicode", xml_declaration=False)
    out.write("\n")
