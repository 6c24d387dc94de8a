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


# keywords that describe a schema without constraining it
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples"})


def _flat_strings(schema: dict[str, Any]) -> tuple[tuple[str, ...], frozenset[str], bool] | None:
    """(required, properties, additionalProperties) when the schema says no more than "an object
    whose listed properties are strings, these ones required": the flat formats. None otherwise."""
    if set(schema) - _ANNOTATIONS - {"type", "required", "properties", "additionalProperties"}:
        return None
    props = schema.get("properties", {})
    required = schema.get("required", [])
    extra = schema.get("additionalProperties", True)
    if schema.get("type") != "object" or not isinstance(extra, bool) or not set(required) <= set(props):
        return None
    if any(set(p) - _ANNOTATIONS != {"type"} or p.get("type") != "string" for p in props.values()):
        return None
    return tuple(required), frozenset(props), extra


def _flat_checker(required: tuple[str, ...], props: frozenset[str], extra: bool) -> Callable[[Any], bool]:
    n = len(required)

    def check(obj: Any) -> bool:
        if type(obj) is not dict:
            return False
        for key in required:
            if type(obj.get(key)) is not str:  # missing (None) or not a string
                return False
        if len(obj) == n:  # only the required keys, all strings: the common record
            return True
        for key, value in obj.items():
            if key in props:
                if type(value) is not str:
                    return False
            elif not extra:
                return False
        return True

    return check


def _simple_checker(node: Any) -> Callable[[Any], bool] | None:
    """A direct test for a schema built only from objects (required, properties, boolean
    additionalProperties), arrays (items, minItems), strings and string enums: the chat formats
    whose records are lists of {role, content} objects. None when anything else appears."""
    if not isinstance(node, dict):
        return None
    keys = set(node) - _ANNOTATIONS - {"$defs"}  # refs are inlined: a $ref left over fails below
    if "enum" in node:
        if keys != {"enum"} or not all(type(v) is str for v in node["enum"]):
            return None
        allowed = frozenset(node["enum"])
        return lambda v: type(v) is str and v in allowed
    kind = node.get("type")
    if kind == "string" and keys == {"type"}:
        return lambda v: type(v) is str
    if kind == "array" and keys <= {"type", "items", "minItems"} and "items" in node:
        item, least = _simple_checker(node["items"]), node.get("minItems", 0)
        if item is None or type(least) is not int:
            return None
        return lambda v: type(v) is list and len(v) >= least and all([item(x) for x in v])
    if kind != "object" or not keys <= {"type", "required", "properties", "additionalProperties"}:
        return None
    extra = node.get("additionalProperties", True)
    if not isinstance(extra, bool):
        return None
    props = {k: _simple_checker(p) for k, p in node.get("properties", {}).items()}
    if any(c is None for c in props.values()):
        return None
    required = tuple(node.get("required", ()))
    get = props.get

    def check(v: Any) -> bool:
        if type(v) is not dict:
            return False
        for key in required:
            if key not in v:
                return False
        for key, value in v.items():
            test = get(key)
            if test is None:
                if not extra:
                    return False
            elif not test(value):
                return False
        return True

    return check


@functools.cache
def checker(name: str) -> Callable[[Any], bool]:
    """A bare ``obj -> bool`` for the engine's per-record loop. For a flat schema (string
    properties, nothing more) or a simple one (objects, arrays, strings, string enums: the
    claude-messages format) an equivalent direct test, 5-7x faster than fastjsonschema's generated
    code; the compiled validator otherwise. tests/test_formats.py checks that they agree."""
    flat = _flat_strings(_schema(name))
    if flat is not None:
        return _flat_checker(*flat)
    simple = _simple_checker(_inline_refs(_schema(name)))
    if simple is not None:
        return simple
    validate = fast_validator(name)
    invalid = fastjsonschema.JsonSchemaException

    def check(obj: Any) -> bool:
        try:
            validate(obj)
        except invalid:
            return False
        return True

    return check


def required_text(name: str, obj: Any, parts: list[str | int]) -> bool:
    """Whether the schema needs the value at ``parts`` (``["messages", 1, "content"]``) in this
    record: False when deleting it, or any object key on the way to it, leaves ``obj`` valid.

    The record itself answers, not a list kept beside the schemas: an instruction's ``input`` and
    a claude-messages ``system`` are optional keys; a Converse ``system`` array is optional though
    each of its blocks needs its text; a Converse block must hold exactly one key (minProperties),
    and an openai-chat message needs its ``content`` only without ``tool_calls`` (if/then); an
    openai-chat system message may be left out whole (the one list item that is optional). Asked
    only for empty fields, so the copies it makes cost nothing on a clean file."""
    check = checker(name)
    for depth in range(len(parts), 0, -1):
        key = parts[depth - 1]
        # a list item is optional only when it is a system message (openai-chat's
        # {"role": "system", "content": ""}): without it the chat simply has no system prompt,
        # while a conversation without one of its turns is another conversation
        if (isinstance(key, str) or _is_system(obj, parts[:depth])) and check(_without(obj, parts[:depth])):
            return False
    return True


def _is_system(obj: Any, parts: list[str | int]) -> bool:
    node = obj
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, dict) and node.get("role") == "system"


def _without(node: Any, parts: list[str | int]) -> Any:
    """A copy of ``node`` without the value at ``parts``; only the containers on the way are copied."""
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        copy_ = dict(node)
    elif isinstance(node, list) and isinstance(head, int):
        copy_ = list(node)
    else:
        return node
    if not rest:
        if isinstance(copy_, dict):
            copy_.pop(head, None)
        return copy_
    try:
        copy_[head] = _without(copy_[head], rest)
    except (KeyError, IndexError):
        return node
    return copy_
