"""Pick one version of every skill in the ``requires`` closure of what the user asked for.

The highest non-yanked version satisfying every range that names the skill (from the request
and from each chosen dependant), repeated until the choice settles: what pip and npm do for a
flat install, where one folder per skill name means one version per skill.
"""

from __future__ import annotations

from collections.abc import Sequence

from skillkit.index import (
    Index,
    RangeError,
    Requirement,
    ResolveError,
    VersionEntry,
    parse_range,
    version_key,
)

#: a dependency graph that keeps changing its mind after this many rounds is unsatisfiable.
MAX_ROUNDS = 100


def closure(index: Index, requested: Sequence[Requirement]) -> dict[str, VersionEntry]:
    """name -> chosen version; raises `ResolveError` naming each requirement that fails."""
    constraints = _constraints(requested, {})
    for _ in range(MAX_ROUNDS):
        chosen = {name: _best(index, name, wanted) for name, wanted in constraints.items()}
        settled = _constraints(requested, chosen)
        if settled == constraints:
            return chosen
        constraints = settled
    raise ResolveError("the requirements do not settle on one version per skill")


def _constraints(
    requested: Sequence[Requirement], chosen: dict[str, VersionEntry]
) -> dict[str, list[tuple[str, str]]]:
    """name -> [(range, who asks for it)] from the request and the chosen versions' requires."""
    out: dict[str, list[tuple[str, str]]] = {}
    for req in requested:
        out.setdefault(req.name, []).append((req.range, "requested"))
    for entry in sorted(chosen.values(), key=lambda e: e.name):
        for req in entry.requires:
            out.setdefault(req.name, []).append((req.range, entry.ref))
    return out


def _best(index: Index, name: str, wanted: list[tuple[str, str]]) -> VersionEntry:
    why = ", ".join(f"{text} (from {who})" for text, who in wanted)
    skill = index.skills.get(name)
    if skill is None:
        raise ResolveError(f"no skill named {name!r} in the index (wanted: {why})")
    try:
        ranges = [parse_range(text) for text, _ in wanted]
    except RangeError as exc:
        raise ResolveError(f"{name}: invalid version range: {exc}") from None
    matching = [
        v for v in skill.versions if not v.yanked and all(r.contains(v.version) for r in ranges)
    ]
    if not matching:
        published = ", ".join(v.version + (" (yanked)" if v.yanked else "") for v in skill.versions)
        raise ResolveError(
            f"no version of {name} satisfies {why} (published: {published or 'none'})"
        )
    return max(matching, key=lambda v: version_key(v.version))
