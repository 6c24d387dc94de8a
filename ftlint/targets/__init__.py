"""Target model profiles for Amazon Bedrock customization jobs (``--target``).

The figures live in ``profiles.toml`` next to this module, as data: one table per target, with the
page each figure comes from and the uncertain ones marked. :func:`resolve` turns a model id or an
alias (``nova-lite``, ``claude-3-haiku``, ``llama3-1-8b``, ``titan-express``...) into a
:class:`Profile`, with the user's overrides from config applied (``[tool.ftlint.targets.<key>]``)
and the token estimator attached (see :mod:`ftlint.targets.tokens`)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from ftlint.errors import ConfigError

# profile field (kebab-case in TOML) -> accepted Python type(s)
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str, "model-id": str, "aliases": list, "family": str, "method": str, "formats": list,
    "train-min": int, "train-max": int, "validation-min": int, "validation-max": int,
    "total-min": int, "total-max": int, "validation": bool,
    "max-input-tokens": int, "max-output-tokens": int, "max-total-tokens": int,
    "train-file-max-bytes": int, "validation-file-max-bytes": int, "total-file-max-bytes": int,
    "reserved-strings": list, "reserved-case-insensitive": bool, "reserved-roles": list,
    "images": bool, "videos": bool, "documents": bool, "image-formats": list, "video-formats": list,
    "max-images-per-message": int, "max-videos-per-sample": int, "mixed-media": bool, "reasoning": bool,
    "schema-version": str, "system-blocks-max": int, "max-user-turns": int,
    "hyperparameters": dict, "notes": str, "chars-per-token": (int, float),
    # lifecycle (the model lifecycle page): status, dates (ISO), the target to move to
    "status": str, "legacy-date": str, "eol-date": str, "replacement": str,
    # the job: CreateModelCustomizationJob's customizationType, or another API (open-weight RFT)
    "customization-type": str, "job-api": str, "hyperparameter-specs": dict,
    # distillation pairs: the teacher's model id and the student target whose limits apply
    "teacher-model-id": str, "student": str,
    # records that end with the user's turn are complete (distillation prompts, RFT prompts)
    "prompt-only": bool, "tool-use": bool,
    # image-caption records (Titan Image Generator, Nova Canvas, Titan Multimodal Embeddings)
    "caption-min-chars": int, "caption-max-chars": int, "image-file-formats": list,
    "image-max-bytes": int, "image-min-side": int, "image-max-side": int, "image-max-pixels": int,
    "image-max-aspect": (int, float),
}
STATUSES = ("active", "legacy", "end-of-life")
JOB_APIS = ("create-model-customization-job", "openai-compatible")
CUSTOMIZATION_TYPES = ("FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION", "REINFORCEMENT_FINE_TUNING")
SCHEMA_VERSION_MODES = ("any", "exact-if-present", "required-exact")
SCHEMA_VERSION = "bedrock-conversation-2024"
_META = ("extends", "source", "sources", "uncertain")


@dataclass(frozen=True)
class Profile:
    """One target. A limit that is None is unknown and not checked."""

    key: str
    name: str
    model_id: str | None = None
    aliases: tuple[str, ...] = ()
    family: str = ""
    method: str = "fine-tuning"
    formats: tuple[str, ...] = ()
    train_min: int | None = None
    train_max: int | None = None
    validation_min: int | None = None
    validation_max: int | None = None
    total_min: int | None = None
    total_max: int | None = None
    validation: bool = True
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    max_total_tokens: int | None = None
    train_file_max_bytes: int | None = None
    validation_file_max_bytes: int | None = None
    total_file_max_bytes: int | None = None
    reserved_strings: tuple[str, ...] = ()
    reserved_case_insensitive: bool = False
    reserved_roles: tuple[str, ...] = ("system", "user")
    images: bool = False
    videos: bool = False
    documents: bool = False
    image_formats: tuple[str, ...] = ()
    video_formats: tuple[str, ...] = ()
    max_images_per_message: int | None = None
    max_videos_per_sample: int | None = None
    mixed_media: bool = True
    reasoning: bool = False
    schema_version: str = "any"
    system_blocks_max: int | None = None
    max_user_turns: int | None = None
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    chars_per_token: float | None = None
    status: str = "active"
    legacy_date: str | None = None
    eol_date: str | None = None
    replacement: str | None = None
    customization_type: str | None = None
    job_api: str = "create-model-customization-job"
    hyperparameter_specs: dict[str, Any] = field(default_factory=dict)
    teacher_model_id: str | None = None
    student: str | None = None
    prompt_only: bool = False
    tool_use: bool = False
    caption_min_chars: int | None = None
    caption_max_chars: int | None = None
    image_file_formats: tuple[str, ...] = ()
    image_max_bytes: int | None = None
    image_min_side: int | None = None
    image_max_side: int | None = None
    image_max_pixels: int | None = None
    image_max_aspect: float | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> page id, for every set figure
    uncertain: frozenset[str] = frozenset()
    overridden: frozenset[str] = frozenset()
    estimator: Any = None  # a tokens.Estimator, attached by resolve()

    def source_of(self, key: str) -> str:
        return self.sources.get(key, "")

    def figures(self) -> list[tuple[str, Any]]:
        """(kebab-case field, value) for every figure this profile sets, in declaration order."""
        out = []
        for f in fields(self):
            k = f.name.replace("_", "-")
            if k in self.sources and k not in ("name", "notes"):
                out.append((k, getattr(self, f.name)))
        return out


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("ftlint.targets").joinpath("profiles.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def pages() -> dict[str, str]:
    """Page id -> address of the source pages the profiles cite."""
    return dict(_data()["pages"])


# customizationType of CreateModelCustomizationJob for each method, unless a target sets its own
_CUSTOMIZATION_TYPES = {"fine-tuning": "FINE_TUNING", "continued-pretraining": "CONTINUED_PRE_TRAINING",
                        "distillation": "DISTILLATION", "reinforcement-fine-tuning": "REINFORCEMENT_FINE_TUNING"}
# what a distillation pair takes from its student target when it sets none of its own: the
# student is the model being trained, so its token limits and reserved strings are the job's
STUDENT_LIMITS = ("max-input-tokens", "max-output-tokens", "max-total-tokens", "reserved-strings",
                  "reserved-case-insensitive", "reserved-roles", "chars-per-token")


@lru_cache(maxsize=1)
def _profiles() -> dict[str, Profile]:
    data = _data()
    layered = {key: _layers(key, table, data) for key, table in data["targets"].items()}
    out = {}
    for key, (merged, sources, uncertain) in layered.items():
        student = merged.get("student")
        if student is not None:
            if student not in layered:
                raise ConfigError(f"profiles.toml: {key}: student {student!r} is not a target")
            s_merged, s_sources, s_uncertain = layered[student]
            for k in STUDENT_LIMITS:
                if k in s_merged and k not in merged:
                    merged[k], sources[k] = s_merged[k], s_sources[k]
                    if k in s_uncertain:
                        uncertain = uncertain | {k}
        if "customization-type" not in merged and merged.get("method") in _CUSTOMIZATION_TYPES:
            merged["customization-type"] = _CUSTOMIZATION_TYPES[merged["method"]]
            sources["customization-type"] = "create-model-customization-job"
        if "status" not in merged:
            # a model the lifecycle page does not list as Legacy or end-of-life is Active
            merged["status"], sources["status"] = "active", "model-lifecycle-legacy"
        if merged["status"] == "legacy" and str(merged.get("eol-date", "9999")) <= data["lifecycle"]["as-of"]:
            # the page's own end-of-life date had passed when the page was read: a job is rejected
            # (only the shipped figures: a user's override of status or dates is taken as written)
            merged["status"] = "end-of-life"
        out[key] = _build(key, merged, sources, frozenset(uncertain), where=f"profiles.toml: {key}")
    return out


def _layers(key: str, table: dict[str, Any], data: dict[str, Any]) -> tuple[dict, dict, frozenset]:
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    uncertain: set[str] = set()
    layers = [data["families"][table["extends"]], table] if "extends" in table else [table]
    default = None
    for layer in layers:
        default = layer.get("source", default)
        for k, v in layer.items():
            if k in _META:
                continue
            merged[k] = v
            sources[k] = layer.get("sources", {}).get(k) or default or sources.get(k, "")
        # a figure comes from the page of the layer that set it: the family's, or the target's own
        uncertain = set(layer.get("uncertain", uncertain))
        for k, page in layer.get("sources", {}).items():
            sources[k] = page
    return merged, sources, frozenset(uncertain)


def _build(key: str, values: dict[str, Any], sources: dict[str, str], uncertain: frozenset[str],
           overridden: frozenset[str] = frozenset(), *, where: str) -> Profile:
    kwargs: dict[str, Any] = {}
    for k, v in values.items():
        _check_field(k, v, where)
        kwargs[k.replace("-", "_")] = tuple(v) if isinstance(v, list) else v
    profile = Profile(key=key, sources=sources, uncertain=uncertain, overridden=overridden, **kwargs)
    _check_choices(profile, where)
    return profile


def _check_choices(p: Profile, where: str) -> None:
    for name, value, allowed in (("schema-version", p.schema_version, SCHEMA_VERSION_MODES),
                                 ("status", p.status, STATUSES), ("job-api", p.job_api, JOB_APIS),
                                 ("customization-type", p.customization_type or CUSTOMIZATION_TYPES[0],
                                  CUSTOMIZATION_TYPES)):
        if value not in allowed:
            raise ConfigError(f"{where}: {name} must be one of {', '.join(allowed)}, got {value!r}")


def _check_field(k: str, v: Any, where: str) -> None:
    if k not in FIELD_TYPES:
        from ftlint.suggest import did_you_mean

        raise ConfigError(f"{where}: unknown target field {k!r}{did_you_mean(k, FIELD_TYPES)}; "
                          f"known fields: {', '.join(FIELD_TYPES)}")
    kinds = FIELD_TYPES[k]
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(v, kinds) or (isinstance(v, bool) and bool not in kinds):
        names = " or ".join(t.__name__ for t in kinds)
        raise ConfigError(f"{where}: {k} must be {names}, got {v!r}")


def unaccepted_format(profile: Profile | None, fmt: str | None) -> str | None:
    """Why records in ``fmt`` are not a file for ``profile``'s job, or None when they are (or
    when nothing is known: no target, or a target that names no format)."""
    if profile is None or not profile.formats or fmt is None or fmt in profile.formats:
        return None
    return (f"the records would be written in {fmt} format, which {profile.key} does not take "
            f"({', '.join(profile.formats)}); convert them first (`ftlint convert --target {profile.key}`) "
            "or choose another target")


def profiles() -> dict[str, Profile]:
    """Every built-in profile by key, without overrides."""
    return dict(_profiles())


def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for key, p in _profiles().items():
        for name in (key, p.model_id, *p.aliases):
            if name:
                idx.setdefault(name.lower(), key)
    return idx


def lookup(name: str) -> Profile:
    """The built-in profile for a key, alias or base model id (case-insensitive)."""
    key = _index().get(name.strip().lower())
    if key is None:
        from ftlint.suggest import did_you_mean

        hint = did_you_mean(name, _index())
        raise ConfigError(f"unknown target {name!r}{hint}; known targets: {', '.join(sorted(_profiles()))} "
                          "(or their model ids; `ftlint targets` lists them)")
    return _profiles()[key]


def apply_overrides(profile: Profile, overrides: dict[str, Any] | None, where: str = "config") -> Profile:
    """The profile with the user's figures in place of the built-in ones (validated)."""
    if not overrides:
        return profile
    changes = {}
    for k, v in overrides.items():
        _check_field(k, v, f"{where}: targets.{profile.key}")
        changes[k.replace("-", "_")] = tuple(v) if isinstance(v, list) else v
    sources = dict(profile.sources)
    sources.update({k: where for k in overrides})
    new = replace(profile, sources=sources, overridden=profile.overridden | frozenset(overrides), **changes)
    _check_choices(new, where)
    return new


def resolve(name: str, overrides: dict[str, dict[str, Any]] | None = None, tokenizer: str | None = None,
            where: str = "config") -> Profile:
    """The profile for ``name`` with overrides (a mapping from target key, alias or model id to
    fields) applied, and its token estimator attached: exact when ``tokenizer`` names a
    tokenizer.json file, the documented heuristic otherwise."""
    from ftlint.targets import tokens

    profile = lookup(name)
    for target_name, table in (overrides or {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: targets.{target_name} must be a table of figures")
        if lookup(target_name).key == profile.key:
            profile = apply_overrides(profile, table, where)
    estimator = tokens.from_file(tokenizer) if tokenizer else tokens.Heuristic(profile.chars_per_token)
    return replace(profile, estimator=estimator)


def validate_overrides(overrides: Any, where: str) -> None:
    """Fail early (exit 2) on an unknown target or field in the config's [targets] table."""
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: targets must be a table of [targets.<name>] sections")
    for target_name, table in overrides.items():
        profile = lookup(target_name)
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: targets.{target_name} must be a table of figures")
        apply_overrides(profile, table, where)
