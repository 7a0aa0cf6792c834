"""Resolve ``metadata.requires`` against an index: missing, unsatisfiable and cyclic
dependencies are errors naming the chain that leads to them."""

from __future__ import annotations

from collections.abc import Iterable

from skillkit.index.errors import ResolveError
from skillkit.index.model import Index, VersionEntry
from skillkit.index.ranges import RangeError, parse_range


def pick(index: Index, name: str, range_text: str) -> VersionEntry | None:
    """The highest non-yanked version of `name` in `range_text` (None: none satisfies it)."""
    skill = index.skills.get(name)
    if skill is None:
        return None
    rng = parse_range(range_text)
    matching = [v for v in skill.versions if not v.yanked and rng.contains(v.version)]
    if not matching:
        return None
    from skillkit.index.model import version_key

    return max(matching, key=lambda v: version_key(v.version))


def resolve(index: Index, roots: Iterable[VersionEntry]) -> list[str]:
    """Check the dependency closure of `roots`; returns one message per problem found."""
    problems: list[str] = []
    reported: set[str] = set()
    done: set[tuple[str, str]] = set()

    def visit(entry: VersionEntry, chain: list[str], on_path: list[tuple[str, str]]) -> None:
        node = (entry.name, entry.version)
        if node in done:
            return
        for req in entry.requires:
            step = [*chain, f"{req.name}@{req.range}"]
            text = " -> ".join(step)
            try:
                target = pick(index, req.name, req.range)
            except RangeError as exc:
                _add(problems, reported, f"{text}: invalid range: {exc}")
                continue
            if req.name not in index.skills:
                _add(problems, reported, f"{text}: no skill named {req.name!r} in the index")
                continue
            if target is None:
                published = ", ".join(
                    v.version + (" (yanked)" if v.yanked else "")
                    for v in index.skills[req.name].versions
                )
                _add(
                    problems,
                    reported,
                    f"{text}: no version of {req.name} satisfies {req.range} "
                    f"(published: {published})",
                )
                continue
            target_node = (target.name, target.version)
            if target_node in on_path:
                _add(problems, reported, f"dependency cycle: {text} (resolved to {target.ref})")
                continue
            visit(target, step, [*on_path, target_node])
        done.add(node)

    for root in roots:
        visit(root, [root.ref], [(root.name, root.version)])
    return problems


def _add(problems: list[str], seen: set[str], message: str) -> None:
    if message not in seen:
        seen.add(message)
        problems.append(message)


def check(index: Index, roots: Iterable[VersionEntry]) -> None:
    problems = resolve(index, roots)
    if problems:
        raise ResolveError(
            "dependencies cannot be resolved:\n" + "\n".join(f"  - {p}" for p in problems),
            tuple(problems),
        )
