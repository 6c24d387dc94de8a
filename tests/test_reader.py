"""Reader edge cases: every odd input becomes a finding with its line, never a traceback."""
from __future__ import annotations

import gzip
import io
import subprocess
import sys

import pytest

import ftlint
from ftlint.errors import InputError
from ftlint.read.reader import RawRecord, Source, _chunks, read, read_batches

OK = b'{"prompt": "Where is my order?", "completion": "It ships today."}'


def _items(data: bytes, tmp_path, name="f.jsonl"):
    p = tmp_path / name
    p.write_bytes(data)
    return list(read(Source(str(p))))


def _codes(items):
    return [(i.line, i.code) for i in items if not isinstance(i, RawRecord)]


def test_crlf_is_accepted(tmp_path):
    items = _items(OK + b"\r\n" + OK + b"\r\n", tmp_path)
    assert [type(i) for i in items] == [RawRecord, RawRecord]


def test_no_final_newline_is_fine(tmp_path):
    assert _codes(_items(OK + b"\n" + OK, tmp_path)) == []


def test_trailing_blank_lines_are_reported(tmp_path):
    assert _codes(_items(OK + b"\n\n\n", tmp_path)) == [(2, "FT108"), (3, "FT108")]


def test_bom_reported_and_line_still_parsed(tmp_path):
    items = _items(b"\xef\xbb\xbf" + OK + b"\n", tmp_path)
    assert _codes(items) == [(1, "FT106")]
    assert isinstance(items[-1], RawRecord)


def test_invalid_utf8_reports_byte_column_and_continues(tmp_path):
    items = _items(b'{"prompt": "caf\xe9"}\n' + OK + b"\n", tmp_path)
    (bad,) = [i for i in items if not isinstance(i, RawRecord)]
    assert (bad.line, bad.code, bad.column) == (1, "FT106", 16)
    assert isinstance(items[1], RawRecord) and items[1].line == 2


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_invalid_json(tmp_path, literal):
    items = _items(b'{"prompt": "x", "completion": ' + literal + b"}\n", tmp_path)
    (p,) = items
    assert p.code == "FT101" and literal.lstrip(b"-").decode() in p.message


def test_truncated_line_says_truncated(tmp_path):
    (p,) = _items(b'{"prompt": "Where is my ord\n', tmp_path)
    assert p.code == "FT101" and "truncated" in p.message


def test_invalid_json_has_column(tmp_path):
    (p,) = _items(b'{"prompt": "a", "completion": "b",}\n', tmp_path)
    assert p.code == "FT101" and p.column == 35


def test_big_integer_is_valid_json(tmp_path):
    (r,) = _items(b'{"prompt": "a", "completion": "b", "id": 123456789012345678901234567890}\n', tmp_path)
    assert isinstance(r, RawRecord)


def test_duplicate_key_names_the_key(tmp_path):
    items = _items(b'{"prompt": "a", "completion": "b", "prompt": "c"}\n', tmp_path)
    (p,) = [i for i in items if not isinstance(i, RawRecord)]
    assert p.code == "FT109" and "'prompt'" in p.message


def test_duplicate_key_with_spaces_before_colon(tmp_path):
    items = _items(b'{"prompt" : "a", "completion" : "b", "prompt" : "c"}\n', tmp_path)
    assert [i.code for i in items if not isinstance(i, RawRecord)] == ["FT109"]


def test_quoted_colons_in_text_are_not_duplicate_keys(tmp_path):
    row = b'{"prompt": "say \\"a\\": 1 and \\"a\\": 2", "completion": "ok"}\n'
    assert _codes(_items(row, tmp_path)) == []


def test_control_characters_and_replacement_char(tmp_path):
    rows = [b'{"prompt": "a\\u0000b", "completion": "c"}', b'{"prompt": "a\\ufffdb", "completion": "c"}',
            '{"prompt": "a\ufffdb", "completion": "c"}'.encode(), b'{"prompt": "a\\u001bb", "completion": "c"}']
    assert _codes(_items(b"\n".join(rows) + b"\n", tmp_path)) == [(1, "FT106"), (2, "FT106"), (3, "FT106"), (4, "FT106")]


def test_tab_and_newline_escapes_are_fine(tmp_path):
    assert _codes(_items(b'{"prompt": "a\\tb\\nc\\r", "completion": "c"}\n', tmp_path)) == []


def test_json_array_file_is_one_finding(tmp_path):
    data = b'[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c", "completion": "d"}\n]\n'
    items = _items(data, tmp_path, "export.json")
    assert len(items) == 1 and items[0].code == "FT102" and "jq -c" in items[0].message


def test_single_line_json_array_of_objects_is_one_finding(tmp_path):
    items = _items(b'[{"prompt": "a", "completion": "b"}, {"prompt": "c", "completion": "d"}]\n', tmp_path)
    assert [(i.code, "JSON array of 2 objects" in i.message) for i in items] == [("FT102", True)]


def test_array_later_in_file_is_not_an_array_file(tmp_path):
    items = _items(OK + b"\n[1, 2]\n" + OK + b"\n", tmp_path)
    assert _codes(items) == [(2, "FT102")]


def test_gzip_is_read_transparently(tmp_path):
    p = tmp_path / "d.jsonl.gz"
    p.write_bytes(gzip.compress(OK + b"\n\n" + OK + b"\n"))
    items = list(read(Source(str(p))))
    assert _codes(items) == [(2, "FT108")] and len(items) == 3


def test_corrupt_gzip_is_an_input_error(tmp_path):
    p = tmp_path / "d.jsonl.gz"
    p.write_bytes(gzip.compress(OK * 50)[:30])
    with pytest.raises(InputError):
        list(read(Source(str(p))))


def test_stdin_dash(tmp_path):
    code = "import ftlint, sys; r = ftlint.check('-'); print(r.summary['by_code'])"
    out = subprocess.run([sys.executable, "-c", code], input=OK + b"\n\n", capture_output=True, check=True)
    assert b"FT108" in out.stdout


def test_reader_streams(tmp_path):
    """The reader is a generator: records arrive a chunk at a time, before the file is read to the end."""
    p = tmp_path / "big.jsonl"
    p.write_bytes((OK + b"\n") * 50_000)  # 3.3 MB: several chunks
    seen: list[int] = []
    it = read_batches(Source(str(p)), seen.append)
    first = next(it)
    assert first.records[0][0] == 1 and first.nonblank == len(first.records) < 50_000
    next(it)
    assert seen and 0 < seen[0] < p.stat().st_size


def test_chunks_split_lines_alike_at_every_boundary():
    """Chunk boundaries anywhere (inside CRLF too) give the same lines as splitting the whole file."""
    data = b'{"a": 1}\r\n\n{"b": "x\ry"}\n\r\n  \n{"c": 3}\r\n{"d": 4}'
    expected = [b'{"a": 1}', b"", b'{"b": "x\ry"}', b"", b"  ", b'{"c": 3}', b'{"d": 4}']
    for size in range(1, len(data) + 2):
        got = [line for chunk in _chunks(io.BytesIO(data), size) for line in chunk.lines]
        assert got == expected, size


def test_chunks_skip_over_long_lines_at_every_boundary():
    """A line over the cap becomes an empty placeholder with its length, wherever reads split it."""
    data = b'{"a": 1}\r\n' + b'{"b": "' + b"x" * 40 + b'"}\n{"c": 3}\n' + b"y" * 60
    for size in range(1, len(data) + 2):
        got, long = [], {}
        for chunk in _chunks(io.BytesIO(data), size, cap=30):
            for i, n in (chunk.too_long or {}).items():
                long[len(got) + i] = n
            got.extend(chunk.lines)
        assert got == [b'{"a": 1}', b"", b'{"c": 3}', b""], size
        assert long == {1: 49, 3: 60}, size


def test_batches_count_nonblank_lines_once(tmp_path):
    bad = b'{"prompt": "a", "completion": "b\x7f", "prompt": "c"}'
    p = tmp_path / "f.jsonl"
    p.write_bytes(OK + b"\n\n" + bad + b"\nnot json\n")
    (batch,) = list(read_batches(Source(str(p))))
    assert batch.nonblank == 3
    assert sorted(q.code for q in batch.problems) == ["FT101", "FT106", "FT108", "FT109"]


def test_api_accepts_records():
    report = ftlint.check([{"prompt": "a", "completion": ""}, {"prompt": "b", "completion": "c"}], select=["FT1"])
    assert [(f.code, f.line) for f in report.findings] == [("FT105", 1)]
