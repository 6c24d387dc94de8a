"""job.json checked offline against botocore's own service model for ``bedrock``.

botocore's ParamValidator (what boto3 runs before sending a request) checks required members,
types, unknown keys and minimum lengths and values; it does not check string patterns, enums,
maximum lengths or maximum values, which Bedrock enforces on its side. :func:`errors` runs the
ParamValidator and then walks the same shapes for those, so that a wrong enum, a bad S3 URI or an
ARN of the wrong form is an ftlint error, not a rejected job. Nothing is sent anywhere."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ftlint.errors import ConfigError

OPERATION = "CreateModelCustomizationJob"


@lru_cache(maxsize=1)
def _shape():
    try:
        import botocore
        import botocore.session
    except ImportError:
        raise ConfigError("job.json is validated against botocore's model of Bedrock: pip install 'ftlint[jobs]'") from None
    model = botocore.session.get_session().get_service_model("bedrock")
    return model.operation_model(OPERATION).input_shape, botocore.__version__


def botocore_version() -> str:
    return _shape()[1]


def errors(request: dict[str, Any]) -> list[str]:
    """Every problem Bedrock would reject the request for, one line each (empty when valid)."""
    from botocore.validate import ParamValidator

    shape, _ = _shape()
    report = ParamValidator().validate(request, shape)
    out = [line.strip() for line in report.generate_report().splitlines() if line.strip()] \
        if report.has_errors() else []
    _walk(request, shape, "", out)
    return out


def supports(customization_type: str) -> bool:
    shape, _ = _shape()
    return customization_type in shape.members["customizationType"].enum


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


def _walk(value: Any, shape, path: str, out: list[str]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    name = path or "request"
    if kind == "structure" and isinstance(value, dict):
        for key, member in shape.members.items():
            if key in value:
                _walk(value[key], member, f"{path}.{key}" if path else key, out)
    elif kind == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{name} has {len(value)} items; at most {meta['max']} allowed")
        for i, item in enumerate(value):
            _walk(item, shape.member, f"{path}[{i}]", out)
    elif kind == "map" and isinstance(value, dict):
        for k, v in value.items():
            _walk(k, shape.key, f"{path} key {k!r}", out)
            _walk(v, shape.value, f"{path}[{k!r}]", out)
    elif kind == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            out.append(f"{name}: {value!r} is not one of {', '.join(enum)}")
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{name} is {len(value)} characters long; at most {meta['max']} allowed")
        if "pattern" in meta and not _pattern(meta["pattern"]).fullmatch(value):
            out.append(f"{name}: {value!r} does not match the pattern Bedrock requires ({meta['pattern']})")
    elif kind in ("integer", "long", "float", "double") and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        if "max" in meta and value > meta["max"]:
            out.append(f"{name}: {value} is above the maximum of {meta['max']}")
