"""What a rule is: data (code, name, severity, summary, doc, options) next to the function that
yields its problems, as yamllint keeps ID/TYPE/CONF beside check().

Scopes decide what a rule's function receives:

- ``stage``: produced by the reader or the format stage (FT101...). No function; the registry
  still holds its doc and severity so that selection and reports treat it as any other rule.
- ``record``: ``check(record, options) -> Iterable[Problem]`` for each parsed record, while the
  file streams. ``record`` has ``line``, ``raw``, ``obj`` (the parsed JSON), ``format``,
  ``example`` and ``target``. A rule declared with ``batch=True`` is called instead as
  ``check(records, options)`` with a list of consecutive records (those of one 256 KiB read chunk): one call and
  one tight loop per batch instead of a generator per record, for rules that are cheap per record
  or that share work across records. A batch rule declared with ``parallel=True`` as well may run
  in a second process (a forked child that reads the file again, see ftlint.engine) while this
  one runs the other rules: for costly rules whose problems depend only on the records and options.
- ``dataset``: ``check(dataset, options) -> Iterable[Problem]`` once per file, after streaming.
  ``dataset`` is a :class:`ftlint.dataset.Dataset` (examples plus lazily computed artifacts).
  A dataset or pair rule may declare ``plan(dataset, options)``: called for every selected rule
  before any of them runs, it announces the artifacts the rule will ask for (``dataset.plan``),
  so that the first pass over the records can build them together (FT202's signatures in the
  content pass that FT201 needs anyway).
- ``pair``: ``check(train, validation, options) -> Iterable[Problem]`` once per train/validation
  pair; problems are reported on the validation file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ftlint.finding import Problem, Severity

Scope = Literal["stage", "record", "dataset", "pair"]

# what a rule's fix returns to have `ftlint fix` drop the record (to the rejects file)
DROP = "drop"


@dataclass(frozen=True)
class Option:
    default: Any
    help: str
    # the accepted type; bool is not accepted where int or float is asked for
    type: type | tuple[type, ...] | None = None
    choices: tuple[Any, ...] | None = None

    def validate(self, code: str, key: str, value: Any) -> Any:
        kind = self.type or type(self.default)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            names = " or ".join(k.__name__ for k in kinds)
            raise ValueError(f"option {code}.{key} must be {names}, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"option {code}.{key} must be one of {', '.join(map(str, self.choices))}, got {value!r}")
        return value


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    scope: Scope
    # why the default severity is what it is, under the policy in ftlint.rules.docs.POLICY: one
    # clause that `ftlint rules CODE` prints after the level ("error, because ...")
    why: str = ""
    check: Callable[..., Iterable[Problem]] | None = None
    options: dict[str, Option] = field(default_factory=dict)
    # reported even when not selected (a record that cannot be parsed cannot be checked), unless
    # explicitly ignored: ruff shows syntax errors the same way
    always: bool = False
    # only meaningful with --target: the engine runs it only when a target is given
    needs_target: bool = False
    # off unless selected by code or prefix (select/extend-select), as ruff's opt-in rules: advice
    # that would fire on every small file, such as FT404
    default: bool = True
    # a record rule that takes a list of records per call (see the module doc)
    batch: bool = False
    # a batch rule that may run in a forked child while the other rules run (see the module doc)
    parallel: bool = False
    # a dataset or pair rule's plan(dataset, options): the artifacts it will ask for (module doc)
    plan: Callable[..., None] | None = None
    # the rule's repair for one of its findings, applied by `ftlint fix`:
    # fix(finding, obj, fmt, options) -> a new record dict, DROP, or None (leave the record as it is)
    fix: Callable[..., Any] | None = None

    def defaults(self) -> dict[str, Any]:
        return {k: o.default for k, o in self.options.items()}


def rule(code: str, name: str, severity: str, summary: str, *, scope: Scope, why: str = "",
         options: dict[str, Option] | None = None, always: bool = False,
         needs_target: bool = False, default: bool = True, batch: bool = False,
         parallel: bool = False, plan: Callable[..., None] | None = None,
         fix: Callable[..., Any] | None = None) -> Callable[[Callable], Rule]:
    """Turn a check function into a Rule; its docstring is the user doc (Markdown sections)."""

    def wrap(fn: Callable) -> Rule:
        return Rule(code=code, name=name, severity=Severity(severity), summary=summary,
                    doc=_dedent(fn.__doc__ or ""), scope=scope, why=why, check=fn, options=dict(options or {}),
                    always=always, needs_target=needs_target, default=default, batch=batch,
                    parallel=parallel, plan=plan, fix=fix)

    return wrap


def stage_rule(code: str, name: str, severity: str, summary: str, doc: str, *, why: str = "",
               options: dict[str, Option] | None = None, always: bool = False) -> Rule:
    return Rule(code=code, name=name, severity=Severity(severity), summary=summary, doc=_dedent(doc),
                scope="stage", why=why, options=dict(options or {}), always=always)


def _dedent(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)
