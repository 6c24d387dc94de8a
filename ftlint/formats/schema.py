"""Schema files and their compiled validators.

Two validators per format, compiled once: fastjsonschema decides valid / invalid on the hot path
(every record), jsonschema explains the few records that fail (precise paths, all errors)."""
from __future__ import annotations

import copy
import functools
import importlib.resources
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema

SUFFIX = ".schema.json"


@functools.cache
def _schema_dir():
    # a wheel carries the schemas inside the package; a source tree or editable install keeps
    # them at the top level of the repository, next to the package
    packaged = importlib.resources.files("ftlint") / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@functools.cache
def _schema(name: str) -> dict[str, Any]:
    resource = _schema_dir() / f"{name}{SUFFIX}"
    if not resource.is_file():
        raise ValueError(f"no schema named {name!r} (looked for {name}{SUFFIX} in {_schema_dir()})")
    return json.loads(resource.read_text(encoding="utf-8"))


def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema file ``<name>.schema.json``; a copy, so callers may change it freely."""
    return copy.deepcopy(_schema(name))


@functools.cache
def fast_validator(name: str) -> Callable[[Any], Any]:
    # use_default=False: validation must never write defaults into the caller's record
    return fastjsonschema.compile(_inline_refs(_schema(name)), use_default=False)


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema with each local ``#/$defs/...`` reference replaced by its target.

    fastjsonschema turns a $ref into a function call that formats a path string for every array
    item; inlined, a Converse record validates about twice as fast. Recursive definitions (none
    today) keep their $ref."""
    defs = schema.get("$defs", {})

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(v, seen) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            target = ref.removeprefix("#/$defs/")
            if target in defs and target not in seen:
                return walk(defs[target], (*seen, target))
        return {k: walk(v, seen) for k, v in node.items()}

    return walk(schema, ())


@functools.cache
def precise_validator(name: str):
    # imported here: only records that fail the fast check need jsonschema's messages
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema(name))


def is_valid(name: str, obj: Any) -> bool:
    try:
        fast_validator(name)(obj)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@functools.cache
def checker(name: str) -> Callable[[Any], bool]:
    """A bare ``obj -> bool`` over the compiled validator, for the engine's per-record loop."""
    validate = fast_validator(name)
    invalid = fastjsonschema.JsonSchemaException

    def check(obj: Any) -> bool:
        try:
            validate(obj)
        except invalid:
            return False
        return True

    return check
