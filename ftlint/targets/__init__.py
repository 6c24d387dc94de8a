"""Target model profiles (Bedrock model ids and aliases). The profiles themselves arrive with the
FT6 family; until then no target is known and --target fails with exit code 2."""
from __future__ import annotations

from ftlint.errors import ConfigError

PROFILES: dict[str, object] = {}


def resolve(name: str):
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES)) or "none yet"
        raise ConfigError(f"unknown target {name!r}; known targets: {known}") from None
