"""Where the bytes come from: compressed files (by magic bytes, whatever the name), corrupt
archives, empty files, FIFOs and devices (streamed, never cached, bounded memory), over-long
lines, binary files, symbolic links that lead nowhere. Each is a finding or one clear message
with exit code 2: never an internal error, a hang or a silent pass."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
import subprocess
import sys
import threading
import zlib

import pytest
from click.testing import CliRunner

import ftlint
from ftlint.cli import main

OK = b'{"prompt": "Where is my order?", "completion": "It ships today."}'
FTLINT = [sys.executable, "-m", "ftlint"]


WORDS = ("order invoice refund parcel login password account billing card address courier delay "
         "warranty screen battery charger receipt upgrade plan trial coupon").split()


def _text(i: int, k: int) -> bytes:
    # seeded random words and numbers: an arithmetic pattern repeats runs of words with numbers one
    # apart, which FT202's character 3-grams rightly call near-duplicates (lines 2 and 28 at 0.81)
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(10_000)) for _ in range(k)).encode()


def records(n: int, blank_at: int | None = None) -> bytes:
    """n distinct records (no near-duplicates), optionally a blank line at line ``blank_at``."""
    lines = [b'{"prompt": "%s?", "completion": "%s."}' % (_text(i, 8), _text(i + 1000, 10)) for i in range(n)]
    if blank_at is not None:
        lines.insert(blank_at - 1, b"")
    return b"\n".join(lines) + b"\n"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def findings(result) -> list[tuple[str, int | None]]:
    return [(f["code"], f["line"]) for f in json.loads(result.output)["findings"]]


def assert_clear_error(result, *words):
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    for w in words:
        assert w in result.output, result.output


# ------------------------------------------------------------------ compressed input

def zstd_compress(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    return zstandard.ZstdCompressor().compress(data)


COMPRESSORS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "zst": zstd_compress}


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_compressed_file_named_so_is_read_silently(tmp_path, suffix):
    p = tmp_path / f"data.jsonl.{suffix}"
    p.write_bytes(COMPRESSORS[suffix](records(30, blank_at=7)))
    r = run("check", p, "--format", "json", "--no-cache")
    assert findings(r) == [("FT108", 7)]
    assert json.loads(r.output)["files"][0]["records"] == 30


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_compressed_file_named_jsonl_is_an_error_and_still_checked(tmp_path, suffix):
    p = tmp_path / "data.jsonl"
    p.write_bytes(COMPRESSORS[suffix](records(30, blank_at=7)))
    r = run("check", p, "--format", "json", "--no-cache")
    assert r.exit_code == 1
    assert findings(r) == [("FT108", 7), ("FT115", None)]


def test_fix_writes_plain_jsonl_from_compressed_input(tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_bytes(gzip.compress(records(20)))
    out = tmp_path / "out.jsonl"
    r = run("fix", p, "-o", out)
    assert r.exit_code == 0, r.output
    assert "not fixed" not in r.output  # the output is plain JSONL: FT115 is resolved by writing it
    assert out.read_bytes() == records(20)
    r = run("fix", p, "--in-place")
    assert_clear_error(r, "gzip-compressed", "-o OUT.jsonl")
    assert gzip.decompress(p.read_bytes()) == records(20)


def test_zstd_without_zstandard_is_one_clear_message(tmp_path, monkeypatch):
    data = zstd_compress(records(5))
    p = tmp_path / "data.jsonl.zst"
    p.write_bytes(data)
    monkeypatch.setitem(sys.modules, "zstandard", None)
    assert_clear_error(run("check", p, "--no-cache"), "ftlint[zstd]")


def _zlib_error_gzip() -> bytes:
    """A gzip file whose deflate stream fails inside zlib (not at the CRC check)."""
    data = gzip.compress(records(3000), mtime=0)
    for i in range(20, len(data) - 8):
        b = bytearray(data)
        b[i] ^= 0x55
        try:
            gzip.decompress(bytes(b))
        except zlib.error:
            return bytes(b)
        except (OSError, EOFError):
            continue
    raise AssertionError("no flip gives a zlib.error")


@pytest.mark.parametrize("kind", ["truncated", "crc", "zlib", "bad-method", "zstd", "xz", "bz2"])
def test_corrupt_compressed_file_is_one_clear_message(tmp_path, kind):
    good = records(3000)
    data = {
        "truncated": lambda: gzip.compress(good)[:-40],
        "crc": lambda: gzip.compress(good)[:-8] + b"\0\0\0\0" + gzip.compress(good)[-4:],
        "zlib": _zlib_error_gzip,
        "bad-method": lambda: b"\x1f\x8b\x09" + b"\0" * 40,
        "zstd": lambda: zstd_compress(good)[:-30] + b"\xff" * 30,
        "xz": lambda: lzma.compress(good)[:-30] + b"\xff" * 30,
        "bz2": lambda: bz2.compress(good)[:200],
    }[kind]()
    p = tmp_path / "data.jsonl.gz"
    p.write_bytes(data)
    for command in (["check", p], ["check", p, "--no-cache"], ["fix", p, "-o", tmp_path / "o.jsonl"],
                    ["split", p, "--out", tmp_path / "split"]):
        assert_clear_error(run(*command), str(p), "corrupt")


def test_corrupt_gzip_as_a_real_process(tmp_path):
    p = tmp_path / "data.jsonl.gz"
    p.write_bytes(_zlib_error_gzip())
    r = subprocess.run([*FTLINT, "check", str(p)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "corrupt gzip data" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ empty files

@pytest.mark.parametrize("content", [b"", b"\n", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path, content):
    p = tmp_path / "train.jsonl"
    p.write_bytes(content)
    r = run("check", p, "--format", "json", "--no-cache")
    assert r.exit_code == 1
    assert ("FT116", None) in findings(r)


def test_empty_compressed_file_and_empty_validation_file(tmp_path):
    (tmp_path / "t.jsonl").write_bytes(records(40))
    (tmp_path / "v.jsonl.gz").write_bytes(gzip.compress(b""))
    r = run("check", tmp_path / "t.jsonl", "--validation", tmp_path / "v.jsonl.gz", "--format", "json")
    f = json.loads(r.output)["findings"]
    assert [(x["code"], x["path"]) for x in f if x["code"] == "FT116"] == [("FT116", str(tmp_path / "v.jsonl.gz"))]


# ------------------------------------------------------------------ FIFOs, devices, stdin

@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    return path


def _feed(path, data: bytes) -> threading.Thread:
    def write():
        with open(path, "wb") as fh:
            fh.write(data)

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def test_fifo_is_read_whole_with_the_cache_on(tmp_path, fifo, monkeypatch):
    # the first line is the defect: a reader that lost the first bytes (to the cache's hash or a
    # test read) would pass the file
    data = b'{"prompt": "a", "completion": ""}\n' + records(3000)
    monkeypatch.chdir(tmp_path)
    t = _feed(fifo, data)
    r = subprocess.run([*FTLINT, "check", str(fifo), "--select", "FT1", "--format", "json"], capture_output=True, timeout=60)
    t.join(5)
    report = json.loads(r.stdout)
    assert report["files"][0]["records"] == 3001
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("FT105", 1)]
    assert not list((tmp_path / ".ftlint_cache").glob("v*/*.json"))  # a stream is never cached


def test_dev_stdin_from_a_pipe_with_the_cache_on(tmp_path):
    data = b'{"prompt": "a", "completion": ""}\n' + records(3000)
    r = subprocess.run([*FTLINT, "check", "/dev/stdin", "--select", "FT1", "--format", "json"], input=data, capture_output=True,
                       timeout=60, cwd=tmp_path)
    report = json.loads(r.stdout)
    assert report["files"][0]["records"] == 3001
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("FT105", 1)]


@pytest.mark.parametrize("command", ["fix", "split"])
def test_fix_and_split_refuse_a_stream_at_once(tmp_path, fifo, command):
    out = ["-o", tmp_path / "o.jsonl"] if command == "fix" else ["--out", tmp_path / "split"]
    # no writer: a command that opened the FIFO would hang here
    r = subprocess.run([*FTLINT, command, str(fifo), *map(str, out)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "reads its input twice" in r.stderr, r.stderr


def _peak_rss_mb(argv: list[str], timeout: float) -> tuple[int, float, str]:
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(p.stdout[-2000:])")
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=timeout)
    head, _, out = r.stdout.partition("\n")
    rc, rss = head.split()
    return int(rc), int(rss) / 1024, out


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_ends_quickly_in_bounded_memory():
    rc, rss, out = _peak_rss_mb([*FTLINT, "check", "/dev/zero", "--format", "json"], timeout=60)
    assert rc == 1 and rss < 300, (rc, rss)
    (f,) = json.loads(out)["findings"]
    assert f["code"] == "FT101" and "binary" in f["message"] and f["line"] == 1


def test_a_huge_line_is_skipped_in_bounded_memory(tmp_path):
    p = tmp_path / "huge.jsonl"
    with open(p, "wb") as fh:
        fh.write(OK + b"\n")
        fh.write(b'{"prompt": "' + b"x" * (40 << 20) + b'", "completion": "y"}\n')
        fh.write(OK.replace(b"order", b"parcel") + b"\n")
    rc, rss, out = _peak_rss_mb([*FTLINT, "check", str(p), "--select", "FT1", "--format", "json", "--no-cache"],
                                timeout=120)
    report = json.loads(out)
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("FT114", 2)]
    assert report["files"][0]["records"] == 3
    assert rss < 150, rss  # the default cap is 16 MiB: the 40 MB line is never held (base: 200 MB)


def test_line_cap_is_an_option_and_fix_rejects_the_long_line(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_bytes(OK + b"\n" + b'{"prompt": "' + b"x" * 5000 + b'", "completion": "y"}\n'
                  + OK.replace(b"order", b"parcel") + b"\n")
    r = run("check", p, "-O", "FT114.max-bytes=1000", "--select", "FT1", "--format", "json", "--no-cache")
    assert findings(r) == [("FT114", 2)] and "4.9 KiB" in json.loads(r.output)["findings"][0]["message"]
    r = run("fix", p, "-O", "FT114.max-bytes=1000", "-o", tmp_path / "o.jsonl")
    assert r.exit_code == 0
    (rej,) = [json.loads(x) for x in (tmp_path / "o.rejected.jsonl").read_text().splitlines()]
    assert rej["line"] == 2 and rej["codes"] == ["FT114"] and len(rej["raw"]) > 5000  # nothing lost
    assert "FT114" not in ftlint.check(p).summary["by_code"]  # under the default cap


# ------------------------------------------------------------------ not JSON Lines at all

@pytest.mark.parametrize("head,code,word", [
    (b"PAR1" + b"\0" * 100, "FT101", "Parquet"),
    (b"PK\x03\x04" + b"\0" * 100, "FT101", "ZIP"),
    ("\ufeff" + OK.decode() + "\n", "FT106", "UTF-16"),
    (os.urandom(0) + bytes(range(256)) * 8, "FT101", "binary"),
])
def test_binary_files_are_one_finding(tmp_path, head, code, word):
    p = tmp_path / "data.jsonl"
    p.write_bytes(head.encode("utf-16") if isinstance(head, str) else head)
    r = run("check", p, "--format", "json", "--no-cache")
    (f,) = json.loads(r.output)["findings"]
    assert (f["code"], f["line"]) == (code, 1) and word in f["message"]


@pytest.mark.parametrize("text,word", [
    ('[tool]\nname = "x"\nvalue = 3\n', "TOML"),
    ("name: support bot\nitems:\n  - a\n  - b\n", "YAML"),
    ('prompt,completion\n"Where is my order?","It ships today."\n"a","b"\n', "CSV"),
    ("prompt\tcompletion\nWhere is my order?\tIt ships today.\na\tb\n", "TSV"),
    ('{\n  "prompt": "Where is my order?",\n  "completion": "It ships today."\n}\n', "pretty-printed"),
    ("<html><body>404</body></html>\n", "HTML"),
])
def test_other_text_formats_say_what_they_are(tmp_path, text, word):
    p = tmp_path / "data.jsonl"
    p.write_text(text)
    r = run("check", p, "--format", "json", "--no-cache")
    (f,) = json.loads(r.output)["findings"]
    assert f["code"] == "FT101" and word in f["message"] and "JSON array" not in f["message"]


def test_a_json_array_file_is_still_ft102(tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_text('[\n  {"prompt": "a", "completion": "b"}\n]\n')
    (f,) = json.loads(run("check", p, "--format", "json").output)["findings"]
    assert f["code"] == "FT102" and "JSON array" in f["message"]


def test_a_broken_first_line_of_real_jsonl_is_not_a_file_hint(tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_bytes(b'{"prompt": "a", "completion": "b"\n' + records(5))
    r = run("check", p, "--format", "json", "--no-cache")
    f = json.loads(r.output)["findings"]
    assert [(x["code"], x["line"]) for x in f] == [("FT101", 1)] and "truncated" in f[0]["message"]


# ------------------------------------------------------------------ paths that lead nowhere

def test_symlink_loop_says_so(tmp_path):
    loop = tmp_path / "loop.jsonl"
    os.symlink(loop, loop)
    assert_clear_error(run("check", loop), "symbolic link loop")
    assert_clear_error(run("fix", loop, "-o", tmp_path / "o.jsonl"), "symbolic link loop")


def test_dangling_symlink_says_so(tmp_path):
    link = tmp_path / "data.jsonl"
    os.symlink(tmp_path / "gone.jsonl", link)
    assert_clear_error(run("check", link), "broken symbolic link", "gone.jsonl")


def test_a_missing_file_is_still_no_such_file(tmp_path):
    assert_clear_error(run("check", tmp_path / "nope.jsonl"), "no such file")
