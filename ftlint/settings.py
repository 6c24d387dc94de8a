"""The settings of a run, merged in one place and validated once, before any data is read.

Sources, lowest precedence first: built-in defaults, a config file (`--config FILE`, else the
first of ftlint.toml, .ftlint.toml or a pyproject.toml with [tool.ftlint], walking up from the
working directory), then the caller's options (the command line or the Python API). ftlint.toml
takes its keys at the top level or under [tool.ftlint], so that the README's snippets work pasted
into either file. Unknown keys, rules, options or wrong types are a ConfigError (exit code 2)
naming the file and the key.

:func:`from_options` is the one merge every command and the Python API call;
:meth:`Settings.profile` is the target profile with the config's ``[targets]`` overrides and
``tokenizer`` applied; :func:`ftlint.engine.build_engine` turns settings into a ready engine."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from ftlint import rules as registry
from ftlint import targets
from ftlint.errors import ConfigError
from ftlint.finding import Severity
from ftlint.suggest import did_you_mean

CONFIG_NAMES = ("ftlint.toml", ".ftlint.toml", "pyproject.toml")

# top-level keys and what they take; later issues add theirs here
KEYS: dict[str, str] = {
    "select": "list of rule codes or prefixes",
    "extend-select": "list of rule codes or prefixes",
    "ignore": "list of rule codes or prefixes",
    "warnings": "list of rule codes or prefixes reported as warnings",
    "fail-on": "error | warning | info",
    "format": "output format",
    "dataset-format": "record format of every file (skips detection)",
    "target": "Bedrock model id or alias",
    "rules": "table of per-rule options, [rules.FT202]",
    "targets": "table of target figure overrides, [targets.titan-express] total-max = 20000",
    "tokenizer": "path of a local tokenizer.json for exact token counts (needs ftlint[tokenizers])",
    "pair-splits": "true | false: check X_val.jsonl (X_validation, X_test...) passed next to X.jsonl as its split",
}
LIST_KEYS = ("select", "extend-select", "ignore", "warnings")


@dataclass(frozen=True)
class Layer:
    """One source of selection settings (the file or the command line)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    layers: tuple[Layer, ...] = (Layer(),)
    warnings: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    output_format: str | None = None
    dataset_format: str | None = None
    target: str | None = None
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    source: str | None = None  # the config file used, for messages
    target_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokenizer: str | None = None
    pair_splits: bool = True  # ftlint.pairing: held-out files passed among PATHS are checked as splits

    # resolved once
    def selected(self) -> frozenset[str]:
        return resolve_selection(self.layers)

    def severity_of(self, code: str) -> Severity:
        if code in self.severity_overrides:
            return self.severity_overrides[code]
        if any(code.startswith(p.upper()) or p.upper() == "ALL" for p in self.warnings):
            return Severity.WARNING
        return registry.REGISTRY[code].severity

    def finding_severity(self, code: str, proposed: Severity | None, base: Severity | None = None) -> Severity:
        """The severity a finding of ``code`` is reported at: the code's (``base``, when the caller
        has already looked it up: severity_of matches prefixes), or the lower one its rule
        proposed for this finding, unless the user set the code's severity."""
        severity = base or self.severity_of(code)
        if proposed is not None and code not in self.severity_overrides and proposed.rank < severity.rank:
            return proposed
        return severity

    def options_for(self, code: str) -> dict[str, Any]:
        opts = registry.REGISTRY[code].defaults()
        opts.update(self.rule_options.get(code, {}))
        return opts

    def profile(self, name: str | None = None, *, tokenizer: bool = True) -> targets.Profile | None:
        """The profile of ``name`` (default: the run's target; None without one) with the config's
        [targets] overrides applied and its token estimator attached (the config's tokenizer
        unless ``tokenizer=False``: exact counts from a tokenizer.json, else the heuristic)."""
        name = name or self.target
        if name is None:
            return None
        return targets.resolve(name, self.target_overrides, self.tokenizer if tokenizer else None,
                               self.source or "config")


def resolve_selection(layers: tuple[Layer, ...]) -> frozenset[str]:
    """ruff's layering: a layer with `select` starts afresh; within a layer the longest matching
    prefix decides between select and ignore (ignore wins a tie). Rules marked `always` stay on
    unless some layer ignores them explicitly."""
    enabled: set[str] = {c for c, r in registry.REGISTRY.items() if r.default}
    ignored_anywhere: set[str] = set()
    for layer in layers:
        base = set() if layer.select is not None else set(enabled)
        chosen = list(layer.select or ()) + list(layer.extend_select)
        for code in registry.REGISTRY:
            sel = max((len(p) for p in chosen if _matches(p, code)), default=-1)
            ign = max((len(p) for p in layer.ignore if _matches(p, code)), default=-1)
            if ign >= 0:
                ignored_anywhere.add(code)
            if sel > ign:
                base.add(code)
            elif ign >= 0 and ign >= sel:
                base.discard(code)
        enabled = base
    always = {c for c, r in registry.REGISTRY.items() if r.always and c not in ignored_anywhere}
    return frozenset(enabled | always)


def _matches(prefix: str, code: str) -> bool:
    p = prefix.upper()
    return p == "ALL" or code.startswith(p)


def validate_prefixes(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    for v in values:
        if not registry.known_prefix(v):
            families = sorted({c[:3] for c in registry.REGISTRY})
            hint = did_you_mean(v, [*families, *registry.REGISTRY, *registry.BY_NAME])
            raise ConfigError(f"{where}: unknown rule or prefix {v!r}{hint}; `ftlint rules` lists the codes")
    return tuple(v.strip().upper() for v in values)


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                if name != "pyproject.toml" or _has_tool_table(candidate):
                    return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "ftlint" in _read_toml(path).get("tool", {})
    except ConfigError:
        # a broken pyproject.toml that mentions ftlint is our config, broken: say so (exit 2)
        if "tool.ftlint" in path.read_text(errors="replace"):
            raise
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load(path: Path | str | None = None, *, discover: bool = True) -> Settings:
    """Settings from a config file (explicit path, or discovered), defaults otherwise."""
    if path is None and discover and not os.environ.get("FTLINT_NO_CONFIG"):
        path = find_config()
    if path is None:
        return Settings()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("ftlint", {})
    elif "tool" in data:
        data = _unwrap_tool_table(data, path)
    return from_mapping(data, str(path))


def _unwrap_tool_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """ftlint.toml takes the keys at the top level, and also under [tool.ftlint] (the
    pyproject.toml spelling, so a snippet can be pasted into either file); not both at once."""
    tool = data["tool"]
    if not isinstance(tool, dict) or set(tool) != {"ftlint"} or not isinstance(tool["ftlint"], dict):
        other = sorted(set(tool) - {"ftlint"}) if isinstance(tool, dict) else []
        raise ConfigError(f"{path}: unknown key 'tool'" + (f" (tool.{other[0]} is not ftlint's)" if other else "")
                          + "; write ftlint's keys at the top level or under [tool.ftlint]")
    rest = sorted(set(data) - {"tool"})
    if rest:
        raise ConfigError(f"{path}: keys both at the top level ({', '.join(rest)}) and under [tool.ftlint]; "
                          "use one or the other")
    return tool["ftlint"]


def from_mapping(data: dict[str, Any], where: str = "config") -> Settings:
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}{did_you_mean(unknown[0], KEYS)}; "
                          f"known keys: {', '.join(KEYS)}")
    for key in LIST_KEYS:
        if key in data and not (isinstance(data[key], list) and all(isinstance(v, str) for v in data[key])):
            raise ConfigError(f"{where}: {key} must be a list of rule codes or prefixes")
    for key in ("fail-on", "format", "dataset-format", "target", "tokenizer"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{where}: {key} must be a string")
    if "pair-splits" in data and not isinstance(data["pair-splits"], bool):
        raise ConfigError(f"{where}: pair-splits must be true or false")
    layer = Layer(
        select=validate_prefixes(tuple(data["select"]), f"{where}: select") if "select" in data else None,
        extend_select=validate_prefixes(tuple(data.get("extend-select", ())), f"{where}: extend-select"),
        ignore=validate_prefixes(tuple(data.get("ignore", ())), f"{where}: ignore"),
    )
    settings = Settings(layers=(layer,), source=where,
                        warnings=validate_prefixes(tuple(data.get("warnings", ())), f"{where}: warnings"))
    if "fail-on" in data:
        settings = replace(settings, fail_on=_severity(data["fail-on"], f"{where}: fail-on"))
    settings = replace(settings, output_format=data.get("format"), dataset_format=data.get("dataset-format"),
                       target=data.get("target"), pair_splits=data.get("pair-splits", True))
    if "targets" in data:
        targets.validate_overrides(data["targets"], where)
        settings = replace(settings, target_overrides=data["targets"])
    if "tokenizer" in data:
        # a relative path is relative to the config file that names it
        base = Path(where).parent if os.path.isfile(where) else Path.cwd()
        settings = replace(settings, tokenizer=str(base / os.path.expanduser(data["tokenizer"])))
    rules_table = data.get("rules", {})
    if not isinstance(rules_table, dict):
        raise ConfigError(f"{where}: rules must be a table of [rules.CODE] sections")
    options: dict[str, dict[str, Any]] = {}
    severities: dict[str, Severity] = {}
    for code, table in rules_table.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: rules.{code} must be a table of options")
        opts, sev = validate_rule_options(code, table, where)
        rule_code = registry.get(code).code
        options[rule_code] = opts
        if sev is not None:
            severities[rule_code] = sev
    return replace(settings, rule_options=options, severity_overrides=severities)


def validate_rule_options(code: str, table: dict[str, Any], where: str) -> tuple[dict[str, Any], Severity | None]:
    try:
        rule = registry.get(code)
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]}") from None
    out: dict[str, Any] = {}
    severity = None
    for key, value in table.items():
        if key == "severity":
            severity = _severity(value, f"{where}: rules.{rule.code}.severity")
            continue
        if key not in rule.options:
            known = ", ".join(sorted(rule.options)) or "none"
            raise ConfigError(f"{where}: rule {rule.code} ({rule.name}) has no option {key!r}"
                              f"{did_you_mean(key, rule.options)}; "
                              f"its options: {known} (and severity)")
        try:
            out[key] = rule.options[key].validate(rule.code, key, value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return out, severity


def parse_cli_option(text: str) -> tuple[str, str, Any]:
    """`FT202.threshold=0.9` -> ("FT202", "threshold", 0.9); the value is read as TOML."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ConfigError(f"--option {text!r}: write CODE.option=value, e.g. FT202.threshold=0.9")
    left, raw = text.split("=", 1)
    code, key = left.split(".", 1)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word is a string
    return code.strip(), key.strip(), value


def with_cli(settings: Settings, *, select=None, extend_select=(), ignore=(), fail_on=None,
             output_format=None, dataset_format=None, target=None, options=()) -> Settings:
    """Apply command-line values on top of the file's settings (they win)."""
    layer = Layer(select=validate_prefixes(tuple(select), "--select") if select else None,
                  extend_select=validate_prefixes(tuple(extend_select), "--extend-select"),
                  ignore=validate_prefixes(tuple(ignore), "--ignore"))
    new = replace(settings, layers=settings.layers + (layer,))
    if fail_on:
        new = replace(new, fail_on=_severity(fail_on, "--fail-on"))
    if output_format:
        new = replace(new, output_format=output_format)
    if dataset_format:
        new = replace(new, dataset_format=dataset_format)
    if target:
        new = replace(new, target=target)
    if options:
        merged = {k: dict(v) for k, v in new.rule_options.items()}
        severities = dict(new.severity_overrides)
        for text in options:
            code, key, value = parse_cli_option(text)
            opts, sev = validate_rule_options(code, {key: value}, "--option")
            rule_code = registry.get(code).code
            merged.setdefault(rule_code, {}).update(opts)
            if sev is not None:
                severities[rule_code] = sev
        new = replace(new, rule_options=merged, severity_overrides=severities)
    return new


def from_options(config: str | os.PathLike | None = None, *, discover: bool = True,
                 select: Sequence[str] | None = None, extend_select: Sequence[str] = (), ignore: Sequence[str] = (),
                 options: Iterable[str] | Mapping[str, Mapping[str, Any]] = (), fail_on: str | None = None,
                 output_format: str | None = None, dataset_format: str | None = None,
                 target: str | None = None) -> Settings:
    """The settings of a run: the config file (``config``, else discovered when ``discover``),
    then the caller's options on top. ``options`` are ``CODE.name=value`` strings (``-O``) or a
    mapping from rule code to options (the Python API), validated the same way."""
    settings = load(config, discover=discover)
    if isinstance(options, Mapping):
        options = [f"{code}.{k}={toml_value(v)}" for code, opts in options.items() for k, v in opts.items()]
    return with_cli(settings, select=select, extend_select=extend_select, ignore=ignore, fail_on=fail_on,
                    output_format=output_format, dataset_format=dataset_format, target=target,
                    options=tuple(options))


def toml_value(value: Any) -> str:
    """A Python option value as the TOML text ``-O CODE.name=VALUE`` takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return orjson.dumps(value).decode()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
