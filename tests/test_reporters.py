"""Reporters: golden files for every format, from a fixed fixture tree run through the CLI and
from a fixed list of diagnostics (escaping, fixes, ends, paths outside the repo).

Regenerate the golden files with ``UPDATE_GOLDEN=1 pytest tests/test_reporters.py``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from skillkit import __version__
from skillkit.cli import cli
from skillkit.diagnostics import Diagnostic, Edit, Fix, Severity
from skillkit.lint.registry import all_rules, get_rule
from skillkit.lint.reporters import FORMATS, Report, get_reporter
from skillkit.lint.reporters.github import escape_data, escape_property
from skillkit.lint.rules.base import Rule

GOLDEN = DATA / "reporters"
EXTENSION = {"text": "text.txt", "json": "json", "github": "github.txt", "sarif": "sarif"}
ROOT = Path("/repo")


#: the rules that fire on the fixture tree; selecting them keeps the golden files about output.
SELECT = "SK102,SK103,SK108,SK202,SK203,SK301,SK302"


def _normalise(text: str, cwd: Path, fmt: str) -> str:
    # Run-dependent parts: where the tree was copied to and the tool's version. Rule docs are
    # the rules' business (compared with the rule objects in another test), not the golden's.
    text = text.replace(cwd.resolve().as_uri(), "file:///ROOT")
    text = text.replace(f'"{__version__}"', '"VERSION"')
    if fmt == "sarif":
        doc = json.loads(text)
        for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
            rule["fullDescription"]["text"] = "<documentation>"
            rule["help"] = {"text": "<documentation>", "markdown": "<documentation>"}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return text


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(GOLDEN / "tree", dest)
    monkeypatch.chdir(dest)
    monkeypatch.delenv("SKILLKIT_OUTPUT_FORMAT", raising=False)
    return dest


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_output_matches_golden(tree: Path, fmt: str) -> None:
    args = ["lint", "--no-cache", "--select", SELECT, "--output-format", fmt]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    check_golden(f"tree.{EXTENSION[fmt]}", _normalise(result.stdout, tree, fmt))


def test_cli_golden_findings_are_the_known_ones(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--output-format", "json"])
    doc = json.loads(result.stdout)
    found = {(f["path"], f["code"]) for f in doc["findings"]}
    assert ("skills/bad-name/SKILL.md", "SK102") in found
    assert ("skills/bad-name/SKILL.md", "SK108") in found
    assert ("skills/headings/SKILL.md", "SK203") in found
    assert ("skills/links/SKILL.md", "SK301") in found
    assert not any(path.startswith("skills/good/") for path, _ in found)
    assert doc["summary"]["skills"] == 4


# A fixed report, independent of the rules' wording: exercises every field of every format.
RULES = (
    Rule(
        "SK101", "missing-required-field", Severity.ERROR, "A required field is missing.\n\nMore."
    ),
    Rule("SK203", "multiple-h1", Severity.WARNING, "More than one top-level heading."),
    Rule("SK999", "fixture-note", Severity.INFO, "A note for tests.", fixable=True),
)
DIAGNOSTICS = (
    Diagnostic(
        "SK101", "missing-required-field", Severity.ERROR,
        "missing 'description': add one line, saying what, when", ROOT / "skills/a/SKILL.md",
        2, 1, 2, 9,
    ),
    Diagnostic(
        "SK203", "multiple-h1", Severity.WARNING, "100% sure:\nsecond\r\ntitle",
        ROOT / "skills/b, c/SKILL.md", 9, 3,
    ),
    Diagnostic(
        "SK999", "fixture-note", Severity.INFO, "trailing spaces", ROOT / "skills/a/SKILL.md",
        4, 10, 4, 12, Fix("strip them", (Edit(30, 32, ""),)),
    ),
    Diagnostic(
        "SK777", "unlisted-rule", Severity.ERROR, "outside the repository", Path("/elsewhere/x.md"),
    ),
)  # fmt: skip


def _report(**kw: object) -> Report:
    return Report(
        diagnostics=DIAGNOSTICS,
        rules=RULES,
        skills_checked=3,
        roots=(ROOT / "skills/a", ROOT / "skills/b, c", ROOT / "skills/d"),
        cwd=ROOT,
        tool_version="1.2.3",
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_fixed_report_matches_golden(fmt: str) -> None:
    rendered = get_reporter(fmt).render(_report())
    check_golden(f"fixed.{EXTENSION[fmt]}", rendered)


def test_text_statistics_and_quiet() -> None:
    rendered = get_reporter("text").render(_report(statistics=True))
    check_golden("fixed-statistics.txt", rendered)
    quiet = get_reporter("text", quiet=True).render(_report())
    assert "Found" not in quiet
    assert quiet.count("\n") == len(DIAGNOSTICS)


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in get_reporter("text").render(_report())
    assert "\x1b[31m[error]\x1b[0m" in get_reporter("text", colour=True).render(_report())


def test_text_clean_summary() -> None:
    report = Report(diagnostics=(), skills_checked=2, cwd=ROOT)
    assert get_reporter("text").render(report) == "All checks passed (2 skills).\n"


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    lines = get_reporter("github").render(_report()).splitlines()
    assert lines[0] == (
        "::error file=skills/a/SKILL.md,line=2,col=1,endLine=2,endColumn=9,"
        "title=SK101 missing-required-field::missing 'description': add one line, saying what, when"
    )
    assert lines[1].startswith("::warning file=skills/b%2C c/SKILL.md,line=9,col=3,title=SK203")
    assert lines[1].endswith("::100%25 sure:%0Asecond%0D%0Atitle")
    assert lines[2].startswith("::notice ")
    assert all("\n" not in line for line in lines)


def test_json_shape() -> None:
    doc = json.loads(get_reporter("json").render(_report()))
    assert doc["schema_version"] == 1
    assert doc["tool"] == {"name": "skillkit", "version": "1.2.3"}
    assert doc["summary"]["error"] == 2 and doc["summary"]["warning"] == 1
    assert doc["summary"]["info"] == 1 and doc["summary"]["fixable"] == 1
    first = doc["findings"][0]
    assert set(first) == {
        "code", "name", "severity", "message", "path", "line", "column", "end_line",
        "end_column", "fix",
    }  # fmt: skip
    assert doc["findings"][2]["fix"] == {
        "description": "strip them",
        "edits": [{"start": 30, "end": 32, "text": ""}],
    }
    assert doc["findings"][3]["path"] == "../elsewhere/x.md"


def _sarif(report: Report) -> dict:  # type: ignore[type-arg]
    doc: dict = json.loads(get_reporter("sarif").render(report))  # type: ignore[type-arg]
    return doc


def test_sarif_has_what_github_code_scanning_requires() -> None:
    doc = _sarif(_report())
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "skillkit" and driver["version"] == "1.2.3"
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["SK101", "SK203", "SK999", "SK777"]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    assert driver["rules"][0]["fullDescription"]["text"] == "A required field is missing.\n\nMore."
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "skills/a/SKILL.md", "uriBaseId": "%SRCROOT%"}
    assert first["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 9}
    outside = run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert outside == {"uri": "file:///elsewhere/x.md"}


def test_sarif_from_the_cli_lists_every_selected_rule(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--output-format", "sarif"])
    doc = json.loads(result.stdout)
    (run,) = doc["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.code for r in all_rules()]
    for res in run["results"]:
        rule = get_rule(res["ruleId"])
        assert rule is not None
        descriptor = run["tool"]["driver"]["rules"][res["ruleIndex"]]
        assert descriptor["name"] == rule.name
        assert descriptor["fullDescription"]["text"] == rule.doc.strip()
        assert descriptor["help"]["markdown"] == rule.doc.strip()
        assert descriptor["shortDescription"]["text"] == rule.summary
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("skills/") and "\\" not in uri


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        get_reporter("xml")
