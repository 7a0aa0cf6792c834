"""The lossless check: each parameter and constraint sentence of an SOP appears in its emitted
skills exactly as often as in the SOP (once, normally), with its RFC 2119 level unchanged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from skillkit.migrate.model import Sop
from skillkit.migrate.scan import scan


@dataclass(frozen=True)
class Finding:
    kind: str  # "constraint" or "parameter"
    #: ``"MUST: You MUST ..."`` or the parameter name.
    text: str
    #: line in the SOP (0 when the text is only in the output).
    line: int
    expected: int
    found: int


@dataclass
class CheckResult:
    title: str
    missing: list[Finding] = field(default_factory=list)
    duplicated: list[Finding] = field(default_factory=list)
    constraints: int = 0
    parameters: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing and not self.duplicated


def _body(relpath: str, text: str) -> str:
    if relpath.endswith("SKILL.md") and text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def check(sop: Sop, files: Iterable[tuple[str, str]]) -> CheckResult:
    """Compare the SOP with the Markdown files (relpath, text) of its emitted skills."""
    want_c = Counter((c.level, c.text) for c in sop.constraints)
    want_p = Counter(p.name for p in sop.parameters)
    lines = {(c.level, c.text): c.line for c in sop.constraints}
    lines_p = {p.name: p.line for p in sop.parameters}
    got_c: Counter[tuple[str, str]] = Counter()
    got_p: Counter[str] = Counter()
    for relpath, text in files:
        if not relpath.endswith(".md"):
            continue
        result = scan(_body(relpath, text), sections=relpath.endswith("SKILL.md"))
        got_c.update((c.level, c.text) for c in result.constraints)
        got_p.update(p.name for p in result.parameters)
    out = CheckResult(sop.title, constraints=sum(want_c.values()), parameters=sum(want_p.values()))
    for key in sorted(set(want_c) | set(got_c)):
        want, got = want_c[key], got_c[key]
        label = f"{key[0] or '(no keyword)'}: {key[1]}"
        finding = Finding("constraint", label, lines.get(key, 0), want, got)
        if got < want:
            out.missing.append(finding)
        elif got > want:
            out.duplicated.append(finding)
    for name in sorted(set(want_p) | set(got_p)):
        want, got = want_p[name], got_p[name]
        finding = Finding("parameter", name, lines_p.get(name, 0), want, got)
        if got < want:
            out.missing.append(finding)
        elif got > want:
            out.duplicated.append(finding)
    return out
