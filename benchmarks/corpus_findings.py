"""Findings on the corpus skills: per skillkit rule, and side by side with the peer linters.

Run: ``SKILLKIT_CORPUS=../shared/corpus .venv/bin/python benchmarks/corpus_findings.py [-v]``
(``-v`` also lists every skillkit finding). A rule that fires on legitimate skills is a false
positive to fix; this script is how we look.

``--compare`` also runs agnix and skillsaw (``.venv/bin/pip install agnix skillsaw``; a tool
that is not installed is left out) with their default settings on the same folder, and prints
what each reports, grouped into the kinds of problem the tools share, as Markdown tables:
findings (skill folders) per tool and kind, then one row per skill folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from skills_ref.validator import validate

from skillkit.config import Config
from skillkit.lint.linter import lint_paths
from skillkit.lint.registry import get_rule

#: The kinds of problem more than one tool checks, and which rule of each tool reports it.
#: Anything else is listed under its own rule id.
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "broken link in SKILL.md": {
        "skillkit": ("SK301", "SK302", "SK303"),
        "agnix": ("REF-001", "REF-002"),
        "skillsaw": ("content-broken-internal-reference",),
    },
    "broken link in a bundled file": {
        "skillkit": ("SK301", "SK302", "SK303", "SK305"),
        "agnix": ("REF-001", "REF-002"),
        "skillsaw": ("content-broken-internal-reference",),
    },
    "broken anchor": {"skillkit": ("SK304",)},
    "invalid frontmatter / name / description": {
        # the frontmatter's bytes and YAML (SK005-SK011), its fields (SK101-SK107)
        "skillkit": (
            "SK005",
            "SK006",
            "SK007",
            "SK010",
            "SK011",
            *(f"SK1{n:02d}" for n in range(1, 8)),
        ),
        "agnix": tuple(f"AS-{n:03d}" for n in range(1, 11)),
        "skillsaw": ("agentskill-valid", "agentskill-name", "agentskill-description"),
    },
    "description without a trigger": {
        "skillkit": ("SK116",),
        "agnix": ("AS-020",),
        "skillsaw": ("content-description-routing",),
    },
    "reserved word in name": {"skillkit": ("SK114",), "agnix": ("CC-SK-030",)},
    "size budget (lines, tokens)": {
        "skillkit": ("SK501", "SK502", "SK503", "SK504", "SK505"),
        "agnix": ("AS-012", "AS-021"),
        "skillsaw": ("context-budget",),
    },
    "reference too deep": {"skillkit": ("SK307",), "agnix": ("AS-013",)},
    "orphan file": {"skillkit": ("SK306",), "skillsaw": ("agentskill-unreferenced-files",)},
    "XML tag": {"skillkit": ("SK113",), "agnix": ("XML-001",)},
    "unclosed code fence": {"skillkit": ("SK204",)},
    "hidden Unicode": {"skillkit": ("SK115",)},
    "secret": {"skillkit": ("SK801",)},
    "duplicate name": {"skillkit": ("SK601",)},
}
TOOLS = ("skillkit", "agnix", "skillsaw")
ROOT = Path(os.path.abspath(os.sep))


@dataclass(frozen=True)
class Finding:
    tool: str
    rule: str
    severity: str
    path: Path  # absolute
    line: int | None
    message: str


def skillkit_findings(corpus: Path) -> tuple[list[Finding], list[Path], float]:
    started = time.perf_counter()
    result = lint_paths([corpus], Config(root=corpus))
    elapsed = time.perf_counter() - started
    found = [
        Finding("skillkit", d.code, d.severity.label, d.path.resolve(), d.line, d.message)
        for d in result.diagnostics
    ]
    return found, [s.root.resolve() for s in result.skills], elapsed


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def _run_json(argv: list[str]) -> dict[str, object]:
    # Both tools exit 1 when they report errors; only their JSON matters here. Run from the
    # root folder, so that the paths they print relative to their working folder are absolute
    # once joined to it.
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=ROOT)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def agnix_findings(exe: str, corpus: Path) -> list[Finding]:
    data = _run_json([exe, "--format", "json", str(corpus)])
    return [
        Finding(
            "agnix", d["rule"], d["level"], (ROOT / d["file"]).resolve(), d["line"], d["message"]
        )
        for d in data["diagnostics"]  # type: ignore[attr-defined]
    ]


def skillsaw_findings(exe: str, corpus: Path) -> list[Finding]:
    data = _run_json([exe, "lint", "--format", "json", "--no-progress", str(corpus)])
    return [
        Finding(
            "skillsaw",
            v["rule_id"],
            v["severity"],
            (corpus / v["file_path"]).resolve(),
            v["line"],
            v["message"],
        )
        for v in data["violations"]  # type: ignore[attr-defined]
    ]


def owner(path: Path, roots: list[Path]) -> Path | None:
    """The innermost skill folder holding `path`."""
    holders = [r for r in roots if path == r or path.is_relative_to(r)]
    return max(holders, key=lambda r: len(r.parts)) if holders else None


def kind_of(f: Finding, roots: list[Path]) -> str:
    for kind, rules in KINDS.items():
        if f.rule in rules.get(f.tool, ()):
            if kind.startswith("broken link"):
                in_skill_md = f.path.name == "SKILL.md" and f.path.parent in roots
                if kind.endswith("SKILL.md") != in_skill_md:
                    continue
            return kind
    return f"{f.tool} only: {f.rule}"


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def compare(corpus: Path, ours: list[Finding], roots: list[Path]) -> None:
    found = {"skillkit": ours}
    runners: dict[str, Callable[[str, Path], list[Finding]]] = {
        "agnix": agnix_findings,
        "skillsaw": skillsaw_findings,
    }
    for name, run in runners.items():
        exe = _tool(name)
        if exe is None:
            print(f"({name} is not installed: pip install {name})")
            continue
        version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
        print(f"{name}: {version.strip()}")
        found[name] = run(exe, corpus)
    tools = [t for t in TOOLS if t in found]
    print()
    print(
        table(
            ["tool", "findings", "errors", "warnings", "info", "skill folders flagged"],
            (
                [
                    t,
                    str(len(found[t])),
                    *(
                        str(sum(1 for f in found[t] if f.severity == s))
                        for s in ("error", "warning")
                    ),
                    str(sum(1 for f in found[t] if f.severity not in ("error", "warning"))),
                    str(len({owner(f.path, roots) for f in found[t]} - {None})),
                ]
                for t in tools
            ),
        )
    )
    by_kind: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for t in tools:
        for f in found[t]:
            by_kind[kind_of(f, roots)][t].append(f)
    order = [k for k in KINDS if k in by_kind] + sorted(k for k in by_kind if k not in KINDS)
    print()
    print("Findings (skill folders) per kind of problem:\n")

    def cell(fs: list[Finding]) -> str:
        return f"{len(fs)} ({len({owner(f.path, roots) for f in fs} - {None})})" if fs else "-"

    print(table(["kind", *tools], ([k, *(cell(by_kind[k][t]) for t in tools)] for k in order)))
    per_skill: dict[Path, Counter[str]] = defaultdict(Counter)
    for t in tools:
        for f in found[t]:
            root = owner(f.path, roots)
            if root is not None:
                per_skill[root][t] += 1
    print()
    print("Findings per skill folder:\n")
    print(
        table(
            ["skill", *tools],
            (
                [
                    root.relative_to(corpus.resolve()).as_posix(),
                    *(str(per_skill[root][t]) for t in tools),
                ]
                for root in sorted(roots)
            ),
        )
    )


def main() -> None:
    corpus = Path(os.environ.get("SKILLKIT_CORPUS", "../shared/corpus")) / "skills"
    if not corpus.is_dir():
        sys.exit(f"set SKILLKIT_CORPUS to the corpus folder (no {corpus})")
    ours, roots, elapsed = skillkit_findings(corpus)
    counts = Counter(f.rule for f in ours)
    with_findings = Counter(f.rule for f in {(f.rule, f.path.parent): f for f in ours}.values())
    rejected = sum(1 for r in roots if validate(r))
    print(f"{len(roots)} skills linted in {elapsed:.2f}s; skills-ref rejects {rejected}")
    print(f"{'code':6} {'name':28} {'severity':8} {'findings':>8} {'folders':>8}")
    for code, n in sorted(counts.items()):
        rule = get_rule(code)
        name = rule.name if rule else "?"
        severity = rule.severity.label if rule else "?"
        print(f"{code:6} {name:28} {severity:8} {n:8} {with_findings[code]:8}")
    if "-v" in sys.argv:
        for f in ours:
            print(f"{f.path.relative_to(corpus.resolve())}:{f.line}: {f.rule} {f.message}")
    if "--compare" in sys.argv:
        print()
        compare(corpus, ours, roots)


if __name__ == "__main__":
    main()
