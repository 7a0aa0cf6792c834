"""`skillkit lint` through click's runner: exit statuses, options, fixes, configuration."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skillkit.cli import COMMANDS, cli
from tests.conftest import REPO

GOOD = """---
name: {name}
description: Formats quarterly reports. Use when a report needs the house style.
---
# {name}

Steps to follow.
"""


def write_skill(root: Path, folder: str, text: str | None = None) -> Path:
    path = root / folder / "SKILL.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.format(name=folder) if text is None else text, encoding="utf-8")
    return path


BAD_NAME = """---
name: Bad_Name
description: Formats quarterly reports. Use when a report needs the house style.
---
# Bad

Body.
"""
TOP_LEVEL_VERSION = """---
name: versioned
version: 1.2.0
description: Formats quarterly reports. Use when a report needs the house style.
---
# Versioned

Body.
"""
WARNING_ONLY = """---
name: headings
description: Formats quarterly reports. Use when a report needs the house style.
---
# One

# Two
"""


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, ["lint", *args], env=env or None)


def findings(result: Result) -> list[dict]:  # type: ignore[type-arg]
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    return doc["findings"]  # type: ignore[no-any-return]


def test_clean_tree_exits_0(repo: Path) -> None:
    write_skill(repo / "skills", "report-style")
    result = run()
    assert result.exit_code == 0, result.output
    assert "All checks passed (1 skill)." in result.stdout


def test_findings_exit_1_with_location(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    result = run("skills")
    assert result.exit_code == 1
    assert "skills/bad-name/SKILL.md:2:7: SK102 [error]" in result.stdout
    assert "(invalid-name)" in result.stdout
    assert "Found 2 problems (2 errors) in 1 skill." in result.stdout


def test_default_path_is_skills_else_cwd(repo: Path) -> None:
    write_skill(repo, "outside", BAD_NAME)  # not under skills/: ignored while skills/ exists
    write_skill(repo / "skills", "report-style")
    assert run().exit_code == 0
    (repo / "skills" / "report-style" / "SKILL.md").unlink()
    (repo / "skills" / "report-style").rmdir()
    (repo / "skills").rmdir()
    result = run()
    assert result.exit_code == 1
    assert "outside/SKILL.md:2:7: SK102" in result.stdout


def test_exit_zero_and_fail_on(repo: Path) -> None:
    write_skill(repo / "skills", "headings", WARNING_ONLY)
    result = run()
    assert "SK203 [warning]" in result.stdout
    assert result.exit_code == 0  # warnings do not fail by default
    assert run("--fail-on", "warning").exit_code == 1
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    assert run().exit_code == 1
    assert run("--exit-zero").exit_code == 0


def test_fail_on_from_config(repo: Path) -> None:
    write_skill(repo / "skills", "headings", WARNING_ONLY)
    (repo / "skillkit.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run().exit_code == 1
    assert run("--fail-on", "error").exit_code == 0  # the command line wins


def test_select_ignore_extend_select(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    write_skill(repo / "skills", "headings", WARNING_ONLY)
    codes = {f["code"] for f in findings(run("--output-format", "json"))}
    assert {"SK102", "SK103", "SK203"} <= codes
    only = {f["code"] for f in findings(run("--output-format", "json", "--select", "SK1"))}
    assert only and all(c.startswith("SK1") for c in only)
    ignored = findings(run("--output-format", "json", "--ignore", "SK102,SK203"))
    assert {"SK102", "SK203"}.isdisjoint({f["code"] for f in ignored})
    (repo / "skillkit.toml").write_text('select = ["SK2"]\n', encoding="utf-8")
    configured = {f["code"] for f in findings(run("--output-format", "json"))}
    assert configured == {"SK203"}
    extended = findings(run("--output-format", "json", "--extend-select", "SK102"))
    assert {f["code"] for f in extended} == {"SK102", "SK203"}


def test_unknown_selector_is_a_usage_error(repo: Path) -> None:
    write_skill(repo / "skills", "report-style")
    result = run("--select", "SK10O")
    assert result.exit_code == 2
    assert "--select: 'SK10O' matches no rule; did you mean" in result.stderr


def test_output_format_from_env_and_output_file(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    result = run(SKILLKIT_OUTPUT_FORMAT="github")
    assert result.stdout.startswith("::error file=skills/bad-name/SKILL.md,line=2,col=7")
    out = repo / "reports" / "lint.sarif"
    result = run("--output-format", "sarif", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert [p.name for p in out.parent.iterdir()] == ["lint.sarif"]  # no temp file left
    # reports/ did not exist: created, and said so, so a mistyped -o is noticed.
    assert result.stderr == f"skillkit: wrote the report to {out} (created {out.parent}/)\n"
    again = run("--output-format", "sarif", "-o", str(out))
    assert again.stderr == ""


def test_statistics_and_quiet(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    result = run("--statistics")
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["1", "SK102"] for line in lines)
    quiet = run("-q")
    assert quiet.stdout.count("\n") == 2 and "Found" not in quiet.stdout


def test_diff_shows_fix_without_writing(repo: Path) -> None:
    path = write_skill(repo / "skills", "versioned", TOP_LEVEL_VERSION)
    result = run("--diff")
    assert result.exit_code == 1
    assert "--- a/skills/versioned/SKILL.md" in result.stdout
    assert "-version: 1.2.0" in result.stdout
    assert "+  version:" in result.stdout
    assert path.read_text(encoding="utf-8") == TOP_LEVEL_VERSION


def test_fix_applies_and_reports_what_is_left(repo: Path) -> None:
    path = write_skill(repo / "skills", "versioned", TOP_LEVEL_VERSION)
    assert "SK108" in run().stdout
    result = run("--fix")
    assert result.exit_code == 0, result.output
    assert "Fixed 1 problem in 1 file." in result.stdout
    text = path.read_text(encoding="utf-8")
    assert "\nversion:" not in text and "metadata:" in text
    assert run().exit_code == 0
    assert run("--diff").exit_code == 0


def test_fix_and_diff_together_is_an_error(repo: Path) -> None:
    write_skill(repo / "skills", "report-style")
    result = run("--fix", "--diff")
    assert result.exit_code == 2
    assert "cannot be used together" in result.stderr


def test_missing_path_and_no_skills_exit_2_with_one_line(repo: Path) -> None:
    result = run("nowhere")
    assert result.exit_code == 2
    assert result.stderr == "skillkit: error: nowhere: no such file or folder\n"
    (repo / "empty").mkdir()
    result = run("empty")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no skills found under empty" in result.stderr


def test_a_file_inside_a_skill_stands_for_its_skill(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    ref = repo / "skills" / "bad-name" / "references" / "notes.md"
    ref.parent.mkdir()
    ref.write_text("notes\n", encoding="utf-8")
    result = run(str(ref.relative_to(repo)))
    assert result.exit_code == 1 and "SK102" in result.stdout
    stray = repo / "README.md"
    stray.write_text("# readme\n", encoding="utf-8")
    assert run("README.md").exit_code == 2
    result = run("--skip-outside-skills", "README.md", str(ref.relative_to(repo)))
    assert result.exit_code == 1 and "SK102" in result.stdout
    assert run("--skip-outside-skills", "README.md").exit_code == 0


def test_config_found_walking_up_from_pyproject(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.skillkit]\nignore = ["SK102"]\n', encoding="utf-8"
    )
    write_skill(repo / "deep" / "skills", "bad-name", BAD_NAME)
    codes = {f["code"] for f in findings(run("deep/skills", "--output-format", "json"))}
    assert "SK103" in codes and "SK102" not in codes


def test_skillkit_toml_wins_over_an_outer_pyproject(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.skillkit]\nignore = ["SK102"]\n', "utf-8")
    (repo / "inner").mkdir()
    (repo / "inner" / "skillkit.toml").write_text('ignore = ["SK103"]\n', encoding="utf-8")
    write_skill(repo / "inner" / "skills", "bad-name", BAD_NAME)
    codes = {f["code"] for f in findings(run("inner/skills", "--output-format", "json"))}
    assert "SK102" in codes and "SK103" not in codes


def test_per_file_ignores(repo: Path) -> None:
    (repo / "skillkit.toml").write_text(
        '[per-file-ignores]\n"skills/legacy-*/**" = ["SK1"]\n', encoding="utf-8"
    )
    write_skill(repo / "skills", "legacy-one", BAD_NAME)
    write_skill(repo / "skills", "current", BAD_NAME)
    found = findings(run("--output-format", "json"))
    paths = {f["path"] for f in found if f["code"].startswith("SK1")}
    assert paths == {"skills/current/SKILL.md"}


def test_explicit_config_file(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    other = repo / "ci" / "lint.toml"
    other.parent.mkdir()
    other.write_text('ignore = ["SK102", "SK103"]\n', encoding="utf-8")
    assert run("--config", str(other)).exit_code == 0
    result = run("--config", "missing.toml")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_invalid_config_lists_every_problem(repo: Path) -> None:
    write_skill(repo / "skills", "report-style")
    (repo / "skillkit.toml").write_text(
        'selct = ["SK1"]\nfail-on = "fatal"\nmax-file-size = -1\n', encoding="utf-8"
    )
    result = run()
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    err = result.stderr
    assert err.startswith("skillkit: error: ") and "invalid skillkit configuration" in err
    assert "unknown key 'selct'" in err
    assert "'fail-on'" in err
    assert "'max-file-size'" in err


def test_invalid_toml_is_exit_2(repo: Path) -> None:
    write_skill(repo / "skills", "report-style")
    (repo / "skillkit.toml").write_text("select = [\n", encoding="utf-8")
    result = run()
    assert result.exit_code == 2 and "invalid TOML" in result.stderr


def test_colour_honours_no_color_and_force_color(repo: Path) -> None:
    write_skill(repo / "skills", "bad-name", BAD_NAME)
    assert "\x1b[" not in run().stdout  # not a terminal
    assert "\x1b[" in run(FORCE_COLOR="1").stdout
    assert "\x1b[" not in run(FORCE_COLOR="1", NO_COLOR="1").stdout


def test_help_documents_the_options() -> None:
    result = CliRunner().invoke(cli, ["lint", "--help"])
    assert result.exit_code == 0
    for option in (
        "--output-format", "--output-file", "--fix", "--diff", "--exit-zero", "--fail-on",
        "--select", "--ignore", "--extend-select", "--config", "--no-cache", "--cache-dir",
        "--jobs", "--statistics", "--quiet", "Examples:",
    ):  # fmt: skip
        assert option in result.output


def test_rule_command(repo: Path) -> None:
    by_code = CliRunner().invoke(cli, ["rule", "SK102"])
    assert by_code.exit_code == 0
    assert by_code.stdout.startswith("SK102 invalid-name\n")
    by_name = CliRunner().invoke(cli, ["rule", "invalid-name"])
    assert by_name.stdout == by_code.stdout
    listing = CliRunner().invoke(cli, ["rule", "--all"])
    assert listing.exit_code == 0
    assert any(line.startswith("SK102  invalid-name") for line in listing.stdout.splitlines())
    records = json.loads(
        CliRunner().invoke(cli, ["rule", "--all", "--output-format", "json"]).stdout
    )
    assert {"code", "name", "severity", "fixable", "summary"} <= set(records[0])
    one = json.loads(CliRunner().invoke(cli, ["rule", "sk102", "--output-format", "json"]).stdout)
    assert one["code"] == "SK102" and one["documentation"]
    unknown = CliRunner().invoke(cli, ["rule", "SK1020"])
    assert unknown.exit_code == 2
    assert "no rule 'SK1020'; did you mean SK102?" in unknown.stderr
    assert CliRunner().invoke(cli, ["rule"]).exit_code == 2
    swapped = CliRunner().invoke(cli, ["rule", "name-invalid"])
    assert swapped.exit_code == 2 and "did you mean invalid-name?" in swapped.stderr
    letter_o = CliRunner().invoke(cli, ["rule", "SK1O2"])
    assert "did you mean SK102?" in letter_o.stderr


def test_rule_documentation_is_markdown(repo: Path) -> None:
    """No reST left in what `skillkit rule` prints (and the docs site renders)."""
    result = CliRunner().invoke(cli, ["rule", "--all", "--output-format", "json"])
    for record in json.loads(result.stdout):
        doc = record["documentation"]
        assert not re.search(r"::$", doc, re.M), record["code"]
        assert not re.search(r"(?<!`)``(?!`)", doc), record["code"]
        assert not re.search(r"^ {4}\S", doc, re.M), record["code"]  # an indented code block
        assert doc.count("```") % 2 == 0, record["code"]
        text = CliRunner().invoke(cli, ["rule", record["code"]]).stdout
        assert doc in text, record["code"]


def test_documented_rule_examples_run(repo: Path) -> None:
    """Every `skillkit rule ...` example in the commands' help and in docs/ works as shown."""
    texts = [CliRunner().invoke(cli, [name, "--help"]).output for name in COMMANDS]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").rglob("*.md"))]
    examples = {
        m.group(1).split("#")[0].strip()
        for text in texts
        for m in re.finditer(r"^\s*(skillkit rule\b.*?)(?:\s{2,}.*)?$", text, re.M)
    }
    assert "skillkit rule SK101" in examples and len(examples) >= 3
    for example in sorted(examples):
        result = CliRunner().invoke(cli, shlex.split(example)[1:])
        assert result.exit_code == 0, (example, result.output)


def test_every_corpus_skill_lints_without_a_crash_in_every_format(
    corpus_skills: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cache = str(tmp_path / "cache")  # linted once; the other formats come from the cache
    for fmt in ("json", "sarif", "github", "text"):
        result = run("--cache-dir", cache, "--output-format", fmt, str(corpus_skills))
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        if fmt == "json":
            doc = json.loads(result.stdout)
            assert doc["summary"]["skills"] == len(list(corpus_skills.rglob("SKILL.md")))


def test_fix_removes_a_bom_and_never_rewrites_undecodable_files(repo: Path) -> None:
    bom = write_skill(repo / "skills", "report-style")
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    latin = write_skill(repo / "skills", "latin", TOP_LEVEL_VERSION.replace("versioned", "latin"))
    latin.write_bytes(latin.read_bytes() + b"caf\xe9\n")
    before = latin.read_bytes()
    result = run("--fix")
    assert "SK003" in result.stdout and result.exit_code == 1
    assert not bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert latin.read_bytes() == before
    assert "SK004" not in run().stdout
