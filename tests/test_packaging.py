"""The schemas ship inside the wheel, and an installed wheel finds them without the source tree."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if p.returncode != 0:
        pytest.fail(f"wheel build failed: {p.stderr[-2000:]}")
    (whl,) = out.glob("ftlint-*.whl")
    return whl


def test_wheel_holds_every_schema(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith("ftlint/schemas/")}
    expected = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert expected and expected <= shipped


def test_installed_wheel_finds_schemas_outside_the_tree(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import ftlint.formats as f, ftlint; "
            "assert 'site' in ftlint.__file__, ftlint.__file__; "
            "[f.load_schema(n) for n in f.FORMATS + ('report',)]; "
            "r = ftlint.check([{'prompt': 'a', 'completion': 'b'}]); print(r.files[0].format)")
    p = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); " + code],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "prompt-completion"
