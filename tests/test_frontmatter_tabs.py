"""Tabs in frontmatter give the same finding with libyaml (C) and with the pure-Python loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skillkit import frontmatter

LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]
CASES = {
    "key:<TAB>value": ("description:\tDoes it.\n", (2, 13)),
    "tab indentation": ("metadata:\n\tversion: '1'\n", (3, 1)),
    "tab after a list dash": ("allowed-tools:\n-\tBash\n", (3, 2)),
    "tab inside a plain value": ("description: a\tb\n", (2, 15)),
    "trailing tab after an empty value": ("license:\t\nname: x\n", (2, 9)),
}
CLEAN = {
    "tab inside quotes": 'description: "a\tb"\n',
    "tab inside a block scalar": "description: |\n  a\n  \tb\n",
    "tab in a comment": "# a\tcomment\nname: x\n",
}


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", CASES)
def test_tabs_are_syntax_errors_with_every_loader(
    monkeypatch: pytest.MonkeyPatch, loader: type[yaml.SafeLoader], case: str
) -> None:
    monkeypatch.setattr(frontmatter, "_Loader", loader)
    source, position = CASES[case]
    parsed = frontmatter.split(f"---\n{source}---\nbody\n", Path("SKILL.md"))
    assert [(p.kind, (p.line, p.column)) for p in parsed.problems][:1] == [
        ("yaml-syntax", position)
    ]
    assert "a tab character" in parsed.problems[0].message
    assert not parsed.frontmatter.valid


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", CLEAN)
def test_tabs_that_are_content_are_fine(
    monkeypatch: pytest.MonkeyPatch, loader: type[yaml.SafeLoader], case: str
) -> None:
    monkeypatch.setattr(frontmatter, "_Loader", loader)
    parsed = frontmatter.split(f"---\n{CLEAN[case]}---\nbody\n", Path("SKILL.md"))
    assert parsed.problems == ()
    assert parsed.frontmatter.valid
