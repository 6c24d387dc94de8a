"""ftlint.jsonout: reports written with orjson must read as json.dump(indent=2) wrote them."""
from __future__ import annotations

import io
import json

from ftlint import jsonout


def test_same_bytes_as_the_standard_library():
    obj = {"version": 1, "findings": [{"message": "r\u00e9sum\u00e9 \u2028 \"q\" \\ \x00", "line": 3, "data": {},
                                       "related": [], "ratio": 0.25, "big": 2 ** 53, "ok": True, "none": None}],
           "summary": {"by_code": {"FT101": 2}}, "empty": []}
    out = io.StringIO()
    jsonout.dump(obj, out)
    assert out.getvalue() == json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def test_values_orjson_refuses_fall_back_to_the_standard_library():
    # orjson stops at 64-bit integers and at non-string keys; the report must still be written
    obj = {"n": 2 ** 70, "counts": {1: "a"}}
    assert jsonout.dumps(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


def test_default_is_used_for_unknown_types():
    class Odd:
        def __str__(self):
            return "odd"

    assert json.loads(jsonout.dumps({"x": Odd()}, default=str)) == {"x": "odd"}
