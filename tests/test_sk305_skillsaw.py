"""Differential test of SK305 against skillsaw (pinned in the test extra) as an oracle.

Every broken link skillsaw's ``content-broken-internal-reference`` reports in a bundled Markdown
file must be reported by SK305 on the same file and line, or be one that SK305 accepts on
purpose: a path written from the skill folder rather than from the linking file, which names a
file or folder of the skill from there (see `skillkit.lint.rules._graph`). skillsaw resolves
links from the linking file only, so it reports those.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from skillkit.config import Config
from skillkit.lint.linter import lint_paths
from tests.rules_support import RULES_DATA

_HREF = re.compile(r"\]\((?P<href>[^)]*)\) \u2014")


def _skillsaw(tree: Path) -> list[dict[str, object]]:
    cmd = [sys.executable, "-m", "skillsaw", "lint", str(tree), "--format", "json"]
    cmd += ["--rule", "content-broken-internal-reference", "--no-plugins", "--no-custom-rules"]
    cmd += ["--no-baseline", "--type", "agentskills"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tree)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    violations: list[dict[str, object]] = json.loads(proc.stdout)["violations"]
    return violations


def _skill_root(path: Path, tree: Path) -> Path | None:
    for parent in path.parents:
        if (parent / "SKILL.md").is_file():
            return parent
        if parent == tree:
            break
    return None


def _written_from_the_skill_folder(root: Path, href: str) -> bool:
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    normal = posixpath.normpath(path)
    if not path or normal.startswith("..") or posixpath.isabs(normal):
        return False
    return (root / normal).exists()


def _unexplained(tree: Path) -> tuple[int, list[str]]:
    """(skillsaw's findings in bundled files, those SK305 neither reports nor explains)."""
    ours = {
        (d.path.resolve(), d.line)
        for d in lint_paths([tree], Config(root=tree, select=("SK305",))).diagnostics
    }
    theirs = 0
    missed = []
    for v in _skillsaw(tree):
        path = (tree / str(v["file_path"])).resolve()
        root = _skill_root(path, tree.resolve())
        if path.name == "SKILL.md" or path.suffix.lower() != ".md" or root is None:
            continue  # SKILL.md is SK301's, and only skills' files are ours
        theirs += 1
        if (path, v["line"]) in ours:
            continue
        match = _HREF.search(str(v["message"]))
        if match and _written_from_the_skill_folder(root, match["href"]):
            continue
        missed.append(f"{path}:{v['line']}: {v['message']}")
    return theirs, missed


@pytest.mark.slow
def test_sk305_reports_what_skillsaw_reports_on_the_corpus(corpus_skills: Path) -> None:
    theirs, missed = _unexplained(corpus_skills)
    assert theirs >= 3  # the real ones: aws-serverless's lambda.md, agents-build's payments.md
    assert missed == []


def test_sk305_reports_what_skillsaw_reports_on_the_rule_cases(tmp_path: Path) -> None:
    tree = tmp_path / "cases"
    shutil.copytree(RULES_DATA / "SK305" / "bad", tree)
    theirs, missed = _unexplained(tree)
    assert theirs >= 2 and missed == []


def test_a_link_written_from_the_skill_folder_is_accepted_and_one_from_neither_is_not(
    tmp_path: Path,
) -> None:
    skill = tmp_path / "paths"
    (skill / "references").mkdir(parents=True)
    (skill / "SKILL.md").write_text(
        "---\nname: paths\ndescription: Does paths. Use when paths.\n---\n"
        "[a](references/a.md) [b](references/b.md)\n"
    )
    (skill / "references" / "a.md").write_text(
        "[from the root](references/b.md) [from here](b.md) [from neither](references/c.md)\n"
    )
    (skill / "references" / "b.md").write_text("# B\n")
    found = lint_paths([tmp_path], Config(root=tmp_path, select=("SK305",))).diagnostics
    assert [(d.path.name, d.line, d.column) for d in found] == [("a.md", 1, 67)]
    assert "'references/c.md' does not exist" in found[0].message
