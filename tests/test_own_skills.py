# ruff: noqa: F811  (pytest fixtures imported from tests.s3_fixture are parameters here)
"""Our own skill library (skills/): spec-valid, lint clean, and its bundled code really works.

The S3 report script is run against a real S3-compatible server (moto) on 127.0.0.1 and its
aggregates are compared with sums computed here from what the test uploaded.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import py_compile
import re
import textwrap
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.conftest import REPO
from tests.s3_fixture import S3Server, s3_env, s3_server  # noqa: F401  (fixtures)

SKILLS = REPO / "skills"
SCRIPT = SKILLS / "s3-object-metadata-report" / "scripts" / "aggregate_metadata.py"
REQUIRED_SKILLS = {
    "s3-object-metadata-report",
    "iam-least-privilege-policy",
    "ec2-auto-scaling-setup",
    "authoring-agent-skills",
    "migrating-agent-sops",
    "skill-catalog-publishing",
}


def skill_dirs() -> list[Path]:
    return sorted(p.parent for p in SKILLS.glob("*/SKILL.md"))


def frontmatter(skill: Path) -> dict[str, Any]:
    text = (skill / "SKILL.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{skill.name}: no frontmatter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


# --- the library as a whole ------------------------------------------------------------------


def test_library_has_the_required_skills() -> None:
    names = {p.name for p in skill_dirs()}
    assert names >= REQUIRED_SKILLS
    assert len(names) >= 7


@pytest.mark.parametrize("skill", skill_dirs(), ids=lambda p: p.name)
def test_skill_passes_reference_validator(skill: Path) -> None:
    from skills_ref.validator import validate

    assert validate(skill) == []


@pytest.mark.parametrize("skill", skill_dirs(), ids=lambda p: p.name)
def test_skill_follows_our_conventions(skill: Path) -> None:
    data = frontmatter(skill)
    assert data["name"] == skill.name
    assert data["license"] == "Apache-2.0"
    # spec limit 1024; our house budget is 400, and every description says when to use it
    assert len(data["description"]) <= 400
    assert "Use when" in data["description"]
    assert 0 < len(data["compatibility"]) <= 500  # what the skill needs to run
    meta = data["metadata"]
    assert all(isinstance(v, str) for v in meta.values())
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert all(t.strip() for t in meta["tags"].split(","))
    body = (skill / "SKILL.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert len(body.splitlines()) < 500
    headings = [t.tag for t in MarkdownIt("commonmark").parse(body) if t.type == "heading_open"]
    assert headings.count("h1") == 1 and headings[0] == "h1"
    # every relative link resolves inside the skill folder
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", body):
        if re.match(r"[a-z]+:", target):
            continue
        assert not target.startswith(("/", "../")), target
        assert (skill / target).exists(), f"{skill.name}: broken link {target}"


def test_requires_are_satisfied_within_the_library() -> None:
    from skillkit.requires import parse_requires

    versions = {p.name: frontmatter(p)["metadata"]["version"] for p in skill_dirs()}
    edges = {
        p.name: parse_requires(frontmatter(p)["metadata"].get("requires")) for p in skill_dirs()
    }
    assert [str(r) for r in edges["ec2-auto-scaling-setup"]] == ["iam-least-privilege-policy@^1"]
    for name, requirements in edges.items():
        for req in requirements:
            assert req.name in versions, f"{name} requires unknown {req.name}"
            assert req.range.contains(versions[req.name]), f"{name}: {req} unsatisfied"


def test_skillkit_lint_reports_nothing() -> None:
    """No finding at all, warnings and infos included, through the real CLI."""
    from click.testing import CliRunner

    from skillkit.cli import cli

    result = CliRunner().invoke(
        cli, ["lint", str(SKILLS), "--no-cache", "--output-format", "json", "--fail-on", "warning"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["findings"] == []
    assert report["summary"]["skills"] == len(skill_dirs())


def test_linter_api_agrees() -> None:
    from skillkit.config import Config
    from skillkit.lint.linter import lint_paths

    result = lint_paths([SKILLS], Config())
    assert len(result.skills) == len(skill_dirs())
    assert result.load.problems == []
    assert result.diagnostics == [], [d.message for d in result.diagnostics]


def test_bundled_python_compiles(tmp_path: Path) -> None:
    scripts = sorted(SKILLS.glob("*/scripts/*.py"))
    assert SCRIPT in scripts
    for script in scripts:
        py_compile.compile(str(script), cfile=str(tmp_path / "x.pyc"), doraise=True)


# --- IAM policy templates --------------------------------------------------------------------

POLICY_KEYS = {
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
    "NotPrincipal",
}
OPERATORS = re.compile(
    r"^(ForAllValues:|ForAnyValue:)?(String|Numeric|Date|Bool|Binary|IpAddress|NotIpAddress|Arn|"
    r"Null)[A-Za-z]*?(IfExists)?$"
)


def policies() -> list[Path]:
    return sorted((SKILLS / "iam-least-privilege-policy" / "assets").glob("*.json"))


def test_there_are_policy_templates() -> None:
    assert len(policies()) >= 4


@pytest.mark.parametrize("path", policies(), ids=lambda p: p.name)
def test_policy_template_is_well_formed(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["Version"] == "2012-10-17"
    statements = doc["Statement"]
    assert isinstance(statements, list) and statements
    sids = [s.get("Sid") for s in statements]
    assert len(sids) == len(set(sids))
    for st in statements:
        assert set(st) <= POLICY_KEYS, set(st) - POLICY_KEYS
        assert st["Effect"] in {"Allow", "Deny"}
        assert ("Action" in st) != ("NotAction" in st)
        actions = st.get("Action", st.get("NotAction"))
        for action in [actions] if isinstance(actions, str) else actions:
            assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9*]+", action), action
        if "Principal" not in st:  # identity policy: Resource is mandatory
            assert ("Resource" in st) != ("NotResource" in st)
        for operator, block in st.get("Condition", {}).items():
            assert OPERATORS.match(operator), operator
            assert isinstance(block, dict) and block
            for key in block:
                assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9/_${}.:-]+", key), key


def test_launch_template_is_locked_down() -> None:
    assets = SKILLS / "ec2-auto-scaling-setup" / "assets"
    data = json.loads((assets / "launch-template-data.json").read_text(encoding="utf-8"))
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert all(ni["AssociatePublicIpAddress"] is False for ni in data["NetworkInterfaces"])
    assert "SubnetId" not in data["NetworkInterfaces"][0]
    assert all(bd["Ebs"]["Encrypted"] for bd in data["BlockDeviceMappings"])
    assert "KeyName" not in data
    # rollback needs a concrete AMI ID, not an SSM parameter
    assert re.fullmatch(r"ami-[0-9a-f]{8,17}", data["ImageId"])
    refresh = json.loads((assets / "instance-refresh-preferences.json").read_text("utf-8"))
    assert refresh["AutoRollback"] is True
    assert refresh["MinHealthyPercentage"] <= 100 <= refresh["MaxHealthyPercentage"]
    trust = json.loads((assets / "ec2-trust-policy.json").read_text(encoding="utf-8"))
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}


# --- the S3 report script, against a real S3 server -------------------------------------------


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aggregate_metadata", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


UPLOADS: list[tuple[str, int, str]] = [
    ("logs/2024/a.log", 1000, "STANDARD"),
    ("logs/2024/b.log", 2500, "STANDARD_IA"),
    ("logs/2025/c.log", 700, "STANDARD"),
    ("images/cat.png", 40_000, "STANDARD"),
    ("images/dog.png", 12_345, "GLACIER"),
    ("images/raw/big.tif", 90_001, "DEEP_ARCHIVE"),
    ("README.txt", 11, "STANDARD"),
    ("empty-marker", 0, "STANDARD"),
]


@pytest.fixture
def filled_bucket(
    s3_server: S3Server,
    s3_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    client = s3_server.client()
    name = "report-" + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=name)
    for key, size, storage in UPLOADS:
        client.put_object(Bucket=name, Key=key, Body=b"x" * size, StorageClass=storage)
    client.put_object_tagging(
        Bucket=name,
        Key="images/cat.png",
        Tagging={"TagSet": [{"Key": "team", "Value": "web"}]},
    )
    yield name


def expected_groups(prefix: str, depth: int) -> dict[str, tuple[int, int]]:
    groups: dict[str, list[int]] = {}
    for key, size, _ in UPLOADS:
        if not key.startswith(prefix):
            continue
        parts = key[len(prefix) :].split("/")
        name = prefix + ("(root)" if len(parts) == 1 else "/".join(parts[:depth]) + "/")
        if len(parts) > 1 and depth >= len(parts):
            name = prefix + "/".join(parts[:-1]) + "/"
        row = groups.setdefault(name, [0, 0])
        row[0] += 1
        row[1] += size
    return {k: (v[0], v[1]) for k, v in groups.items()}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = load_script().main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and out else {}), err


def rows(table: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[int, int]]:
    return {k: (v["objects"], v["bytes"]) for k, v in table.items()}


@pytest.mark.parametrize("page_size", ["1000", "3"])
def test_report_matches_what_was_uploaded(
    filled_bucket: str, capsys: pytest.CaptureFixture[str], page_size: str
) -> None:
    code, report, err = run(capsys, filled_bucket, "--page-size", page_size, "--top", "3")
    assert code == 0, err
    assert report["totals"] == {
        "objects": len(UPLOADS),
        "bytes": sum(size for _, size, _ in UPLOADS),
    }
    assert report["pages"] == -(-len(UPLOADS) // int(page_size))
    assert report["truncated"] is False
    assert rows(report["by_prefix"]) == expected_groups("", 1)
    by_class: dict[str, tuple[int, int]] = {}
    for _, size, storage in UPLOADS:
        n, b = by_class.get(storage, (0, 0))
        by_class[storage] = (n + 1, b + size)
    assert rows(report["by_storage_class"]) == by_class
    assert report["largest"] == [
        {
            "key": k,
            "bytes": s,
            "storage_class": c,
            "last_modified": report["largest"][i]["last_modified"],
        }
        for i, (k, s, c) in enumerate(sorted(UPLOADS, key=lambda u: -u[1])[:3])
    ]
    assert rows(report["by_age"])["0-30d"] == (len(UPLOADS), sum(s for _, s, _ in UPLOADS))
    assert report["sample"] is None


def test_prefix_depth_and_age(filled_bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    later = (datetime.now(UTC) + timedelta(days=100)).isoformat()
    code, report, err = run(
        capsys, filled_bucket, "--prefix", "images/", "--depth", "2", "--as-of", later
    )
    assert code == 0, err
    expected = expected_groups("images/", 2)
    assert rows(report["by_prefix"]) == expected
    total = (sum(n for n, _ in expected.values()), sum(b for _, b in expected.values()))
    assert (report["totals"]["objects"], report["totals"]["bytes"]) == total
    # uploaded just now, measured 100 days later: all in the 91-365 day bucket
    assert rows(report["by_age"]) == {
        "0-30d": (0, 0),
        "31-90d": (0, 0),
        "91-365d": total,
        "over-365d": (0, 0),
    }


def test_expected_owner_is_accepted(filled_bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    # moto's account; the header itself is checked against a refusing server below
    owner = ["--expected-bucket-owner", "123456789012", "--sample", "2"]
    code, report, err = run(capsys, filled_bucket, *owner)
    assert code == 0, err
    assert report["totals"]["objects"] == len(UPLOADS) and report["sample"]["objects"] == 2


def test_max_keys_truncates(filled_bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = run(capsys, filled_bucket, "--max-keys", "5", "--page-size", "2")
    assert code == 0, err
    assert report["truncated"] is True
    assert report["totals"]["objects"] == 5
    listed = sorted(UPLOADS)[:5]  # S3 lists keys in UTF-8 binary order
    assert report["totals"]["bytes"] == sum(size for _, size, _ in listed)


def test_sample_counts_tags_and_encryption(
    filled_bucket: str,
    s3_server: S3Server,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    out = tmp_path / "report.json"
    code, _, err = run(capsys, filled_bucket, "--sample", str(len(UPLOADS)), "-o", str(out))
    assert code == 0, err
    sample = json.loads(out.read_text())["sample"]
    assert sample["objects"] == len(UPLOADS)
    # some servers refuse GetObjectTagging on archived objects: count refusals independently
    client = s3_server.client()
    refused = 0
    for key, _, _ in UPLOADS:
        try:
            client.get_object_tagging(Bucket=filled_bucket, Key=key)
        except client.exceptions.ClientError:
            refused += 1
    assert sample["errors"] == refused
    assert sample["tagged"] == 1
    assert sample["tag_keys"] == {"team": 1}
    assert sum(sample["encryption"].values()) == len(UPLOADS)


def test_empty_bucket(
    s3_server: S3Server,
    s3_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    s3_server.client().create_bucket(Bucket="empty-one")
    code, report, err = run(capsys, "empty-one", "--sample", "5")
    assert code == 0, err
    assert report["totals"] == {"objects": 0, "bytes": 0}
    assert report["by_prefix"] == {} and report["largest"] == []
    assert report["oldest"] is None and report["sample"]["objects"] == 0


def test_missing_bucket_is_a_clear_error(
    s3_server: S3Server,
    s3_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    code, _, err = run(capsys, "no-such-bucket-here")
    assert code == 2
    assert err.startswith("error: bucket 'no-such-bucket-here' does not exist")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unreachable_endpoint_and_bad_arguments(
    s3_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "b", "--endpoint-url", "http://127.0.0.1:9")
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
    code, _, err = run(capsys, "s3://b/x")
    assert code == 2 and "without s3://" in err
    with pytest.raises(SystemExit) as exit_:
        load_script().main(["b", "--page-size", "5000"])
    assert exit_.value.code == 2


def test_access_denied_message() -> None:
    module = load_script()
    error = module._explain("AccessDenied", "Access Denied", "secret-bucket")
    assert "s3:ListBucket" in str(error) and "arn:aws:s3:::secret-bucket" in str(error)


def test_sandbox_driver_with_call_boto3(
    filled_bucket: str,
    s3_server: S3Server,
) -> None:
    """The run_script path: the same report through an async call_boto3(PascalCase) helper."""
    client = s3_server.client()
    by_api = {api: py for py, api in client.meta.method_to_api_mapping.items()}

    async def call_boto3(
        *,
        service_name: str,
        operation_name: str,
        region_name: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        assert service_name == "s3"
        result: dict[str, Any] = getattr(client, by_api[operation_name])(**(params or {}))
        return result

    module = load_script()
    report = asyncio.run(module.report_with_call_boto3(call_boto3, filled_bucket, sample=3))
    assert report["totals"]["objects"] == len(UPLOADS)
    assert report["totals"]["bytes"] == sum(size for _, size, _ in UPLOADS)
    assert rows(report["by_prefix"]) == expected_groups("", 1)
    assert report["sample"]["objects"] == 3


def test_skill_md_run_script_snippet_runs_as_written(
    filled_bucket: str, s3_server: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """What SKILL.md tells the agent to send as run_script's `code`, executed the way a sandbox
    would: script text + driver line, top-level await, `call_boto3` predefined, __main__."""
    import ast
    import contextlib
    import io

    skill_md = (SCRIPT.parent.parent / "SKILL.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", skill_md, re.S)
    assert block, "SKILL.md has no python snippet"
    snippet = textwrap.dedent(block.group(1))
    placeholder = "# ... full text of scripts/aggregate_metadata.py ..."
    assert placeholder in snippet
    code = snippet.replace(placeholder, SCRIPT.read_text(encoding="utf-8"))
    code = code.replace('"my-bucket"', repr(filled_bucket))
    client = s3_server.client()
    by_api = {api: py for py, api in client.meta.method_to_api_mapping.items()}

    async def call_boto3(
        *,
        service_name: str,
        operation_name: str,
        region_name: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = getattr(client, by_api[operation_name])(**(params or {}))
        return result

    compiled = compile(code, "<run_script>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {"__name__": "__main__", "call_boto3": call_boto3}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = eval(compiled, namespace)  # a coroutine because of the top-level await
        if result is not None:
            asyncio.run(result)
    report = json.loads(out.getvalue())
    assert report["prefix"] == "logs/" and report["depth"] == 2
    assert rows(report["by_prefix"]) == expected_groups("logs/", 2)
    assert report["sample"]["objects"] == sum(1 for k, _, _ in UPLOADS if k.startswith("logs/"))


def test_script_runs_as_a_command(filled_bucket: str, s3_server: S3Server, tmp_path: Path) -> None:
    """As a user runs it: a subprocess, endpoint from AWS_ENDPOINT_URL, report to a file."""
    import os
    import subprocess
    import sys

    from tests.s3_fixture import CREDENTIALS

    env = {**os.environ, **CREDENTIALS, "AWS_ENDPOINT_URL": s3_server.endpoint}
    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), filled_bucket, "--prefix", "images/", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert rows(report["by_prefix"]) == expected_groups("images/", 1)
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), "not-a-bucket-" + uuid.uuid4().hex[:8]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    helped = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0 and "--max-keys" in helped.stdout


def iam_documents() -> list[tuple[str, str]]:
    """Every IAM policy we ship: the JSON assets and the JSON policy blocks in Markdown."""
    docs = [
        (str(p.relative_to(SKILLS)), p.read_text(encoding="utf-8"))
        for p in sorted(SKILLS.glob("*/assets/*.json"))
        if '"2012-10-17"' in p.read_text(encoding="utf-8")
    ]
    for md in sorted(SKILLS.glob("*/**/*.md")):
        for i, block in enumerate(re.findall(r"```json\n(.*?)```", md.read_text("utf-8"), re.S)):
            if '"2012-10-17"' in block:
                docs.append((f"{md.relative_to(SKILLS)}#{i}", block))
    return docs


def test_iam_accepts_every_policy_we_ship(s3_server: S3Server) -> None:
    """IAM's own grammar check (moto's IAM policy validator, over the wire) as an oracle."""
    import boto3

    iam = boto3.client(
        "iam",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    documents = iam_documents()
    assert len(documents) >= 7
    suffix = uuid.uuid4().hex[:8]
    for i, (where, text) in enumerate(documents):
        doc = json.loads(text)
        try:
            if any("Principal" in st for st in doc["Statement"]):  # a trust policy
                iam.create_role(RoleName=f"r{i}-{suffix}", AssumeRolePolicyDocument=text)
            else:
                iam.create_policy(PolicyName=f"p{i}-{suffix}", PolicyDocument=text)
        except iam.exceptions.MalformedPolicyDocumentException as exc:
            pytest.fail(f"{where}: {exc}")
    # and the oracle does reject a malformed condition operator
    broken = json.loads(documents[0][1])
    broken["Statement"][0]["Condition"] = {"StringEqualz": {"aws:SourceIp": "203.0.113.1"}}
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        iam.create_policy(PolicyName=f"broken-{suffix}", PolicyDocument=json.dumps(broken))


def test_sandbox_driver_with_json_shaped_responses(filled_bucket: str, s3_server: S3Server) -> None:
    """call_boto3 may hand back JSON-shaped data (timestamps as strings): same totals."""
    client = s3_server.client()
    by_api = {api: py for py, api in client.meta.method_to_api_mapping.items()}

    async def call_boto3(
        *,
        service_name: str,
        operation_name: str,
        region_name: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        result = getattr(client, by_api[operation_name])(**(params or {}))
        shaped: dict[str, Any] = json.loads(json.dumps(result, default=str))
        return shaped

    module = load_script()
    later = datetime.now(UTC) + timedelta(days=400)
    report = asyncio.run(module.report_with_call_boto3(call_boto3, filled_bucket, depth=3))
    assert report["totals"]["bytes"] == sum(size for _, size, _ in UPLOADS)
    assert rows(report["by_prefix"]) == expected_groups("", 3)
    agg = module.Aggregator(as_of=later)
    agg.add_page(json.loads(json.dumps(client.list_objects_v2(Bucket=filled_bucket), default=str)))
    assert agg.report(filled_bucket)["by_age"]["over-365d"]["objects"] == len(UPLOADS)


def test_documented_parameters_exist() -> None:
    """The SKILL.md parameter table and the sandbox entry point agree."""
    import inspect

    skill_md = (SCRIPT.parent.parent / "SKILL.md").read_text(encoding="utf-8")
    table = skill_md.split("## Parameters", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
    signature = inspect.signature(load_script().report_with_call_boto3).parameters
    assert documented == set(signature) - {"call_boto3"}


def test_script_syntax_is_portable() -> None:
    """The sandbox's Python may be older than ours: the script parses as Python 3.9."""
    import ast

    ast.parse(SCRIPT.read_text(encoding="utf-8"), feature_version=(3, 9))


def test_sandbox_driver_explains_a_missing_bucket(s3_server: S3Server) -> None:
    client = s3_server.client()
    by_api = {api: py for py, api in client.meta.method_to_api_mapping.items()}

    async def call_boto3(
        *,
        service_name: str,
        operation_name: str,
        region_name: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = getattr(client, by_api[operation_name])(**(params or {}))
        return result

    async def wrapped(**kwargs: Any) -> dict[str, Any]:
        """A sandbox that wraps service errors in its own exception type, as text only."""
        try:
            return await call_boto3(**kwargs)
        except Exception as exc:
            raise RuntimeError(f"call failed: {exc}") from None

    module = load_script()
    for helper in (call_boto3, wrapped):
        with pytest.raises(module.ReportError, match="does not exist"):
            asyncio.run(module.report_with_call_boto3(helper, "missing-" + uuid.uuid4().hex[:8]))


def test_ci_assets_run_as_written(tmp_path: Path) -> None:
    """The workflow's skillkit commands, run as CI would: in a git checkout of a skills repo
    with the base branch fetched; and the pre-commit asset uses a hook id we ship."""
    import shlex
    import shutil
    import subprocess
    import sys

    assets = SKILLS / "ci-linting-for-skills" / "assets"
    workflow = yaml.safe_load((assets / "skills-ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["lint"]["steps"]
    assert workflow["jobs"]["lint"]["permissions"]["security-events"] == "write"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    commands = [s["run"] for s in steps if str(s.get("run", "")).startswith("skillkit ")]
    assert len(commands) == 3

    repo = tmp_path / "repo"
    shutil.copytree(SKILLS, repo / "skills")
    git = ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci"]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=repo, check=True)
    changed = repo / "skills" / "ci-linting-for-skills" / "SKILL.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")

    outputs = []
    for command in commands:
        command = command.split(">>")[0].replace("${{ github.base_ref }}", "main")
        done = subprocess.run(
            [sys.executable, "-m", "skillkit", *shlex.split(command)[1:]],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs.append(done.stdout)
    sarif = json.loads((repo / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert "ci-linting-for-skills" in outputs[2] and "changed" in outputs[2]

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((assets / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    ours = {h["id"]: h for h in hooks}
    (repo_entry,) = config["repos"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", repo_entry["rev"])
    for hook in repo_entry["hooks"]:
        files = ours[hook["id"]]["files"]  # a hook this repository really offers
        assert re.search(files, "skills/a/SKILL.md")
        assert re.search(files, "skills/a/scripts/x.py")
        assert not re.search(files, "README.md")
    # never a bare install by name: "skillkit" on PyPI is another project
    install = next(s["run"] for s in steps if "pip install" in str(s.get("run", "")))
    assert "git+https://" in install


SOP = """# Rotate Credentials

## Overview
Rotates the database password and verifies that the application still connects.

## Parameters
- **secret_id** (required): Secrets Manager secret to rotate
- **dry_run** (optional, default: false): Only report what would change

## Steps
### 1. Check the secret
Read the secret's rotation settings.

**Constraints:**
- You MUST confirm the secret exists before rotating it
- You SHOULD note the current version id

### 2. Rotate
Start the rotation.

**Constraints:**
- You MUST NOT rotate during a deployment

## Troubleshooting
If rotation fails, read the rotation function's logs.
"""


def invoke(*args: str) -> Any:
    from click.testing import CliRunner

    from skillkit.cli import cli

    return CliRunner().invoke(cli, list(args))


def test_migrating_skill_steps_work_as_documented(tmp_path: Path) -> None:
    sops, out = tmp_path / "sops", tmp_path / "skills"
    sops.mkdir()
    (sops / "rotate.sop.md").write_text(SOP, encoding="utf-8")
    dry = invoke("migrate", str(sops), "-o", str(out), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert not out.exists()  # step 2: nothing written
    assert invoke("migrate", str(sops), "-o", str(out)).exit_code == 0
    again = invoke("migrate", str(sops), "-o", str(out))
    assert again.exit_code == 2  # step 3: an existing folder stops the run
    assert invoke("migrate", str(sops), "-o", str(out), "--check").exit_code == 0
    (skill,) = [p.parent for p in out.glob("*/SKILL.md")]
    text = (skill / "SKILL.md").read_text(encoding="utf-8")
    assert "source:" in text and (skill / "references" / "troubleshooting.md").is_file()
    # step 5: rewording a constraint is caught by --check
    (skill / "SKILL.md").write_text(text.replace("You MUST NOT rotate", "Do not rotate"), "utf-8")
    assert invoke("migrate", str(sops), "-o", str(out), "--check").exit_code == 1


@pytest.fixture(scope="module")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`skillkit build` of our skills, shared by the tests that only read dist/."""
    dist = tmp_path_factory.mktemp("own") / "dist"
    built = invoke("build", str(SKILLS), "-o", str(dist))
    assert built.exit_code == 0, built.output
    return dist


def test_publishing_skill_steps_work_as_documented(built_dist: Path, tmp_path: Path) -> None:
    dist, pub = built_dist, tmp_path / "pub"
    assert invoke("publish", str(dist), "--to", str(pub)).exit_code == 0
    assert invoke("publish", str(dist), "--to", str(pub)).exit_code == 0  # idempotent
    assert invoke("verify", str(pub)).exit_code == 0
    ref = "s3-object-metadata-report@1.0.0"
    yanked = invoke("yank", ref, "--reason", "wrong region in step 2", "--index", str(pub))
    assert yanked.exit_code == 0, yanked.output
    entry = json.loads((pub / "index.json").read_text(encoding="utf-8"))["skills"][
        "s3-object-metadata-report"
    ]["versions"][0]
    assert entry["yanked"] is True
    assert invoke("yank", ref, "--undo", "--index", str(pub)).exit_code == 0
    assert invoke("verify", str(pub)).exit_code == 0


def test_many_objects_many_pages(
    s3_server: S3Server,
    s3_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Sixty objects of random sizes over many pages: every aggregate against our own sums."""
    import random

    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    client = s3_server.client()
    bucket = "many-" + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=bucket)
    rng = random.Random(7)
    uploaded: dict[str, int] = {}
    for i in range(60):
        key = f"{rng.choice(['a', 'b', 'c'])}/{rng.choice(['x', 'y'])}/{i:03d}.bin"
        uploaded[key] = rng.randrange(0, 5000)
        client.put_object(Bucket=bucket, Key=key, Body=b"\0" * uploaded[key])
    code, report, err = run(capsys, bucket, "--page-size", "7", "--top", "5", "--depth", "2")
    assert code == 0, err
    assert report["pages"] == -(-60 // 7)
    assert report["totals"] == {"objects": 60, "bytes": sum(uploaded.values())}
    groups: dict[str, tuple[int, int]] = {}
    for key, size in uploaded.items():
        name = key.rsplit("/", 1)[0] + "/"
        n, b = groups.get(name, (0, 0))
        groups[name] = (n + 1, b + size)
    assert rows(report["by_prefix"]) == groups
    biggest = sorted(uploaded.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:5]
    assert [(e["key"], e["bytes"]) for e in report["largest"]] == biggest
    # tables are ordered by bytes, largest first
    sizes = [v["bytes"] for v in report["by_prefix"].values()]
    assert sizes == sorted(sizes, reverse=True)


MIN_DAYS = {"STANDARD_IA": 30, "ONEZONE_IA": 30, "GLACIER_IR": 90, "GLACIER": 90,
            "DEEP_ARCHIVE": 180, "INTELLIGENT_TIERING": 0}  # fmt: skip


def test_lifecycle_configuration_is_accepted_and_sound(s3_server: S3Server) -> None:
    """botocore's S3 model and the S3 server accept it; the ladder respects the minimums."""
    path = SKILLS / "s3-lifecycle-rules" / "assets" / "lifecycle-configuration.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    client = s3_server.client()
    bucket = "lifecycle-" + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=bucket)
    client.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=config)
    stored = client.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in stored] == [r["ID"] for r in config["Rules"]]
    assert any("AbortIncompleteMultipartUpload" in r for r in config["Rules"])
    for rule in config["Rules"]:
        steps = rule.get("Transitions", [])
        days = [t["Days"] for t in steps]
        assert days == sorted(days) and len(set(days)) == len(days)
        for before, after in itertools.pairwise(steps):
            # the next step waits out the previous class's minimum duration
            assert after["Days"] - before["Days"] >= MIN_DAYS[before["StorageClass"]]
        if steps and "Days" in rule.get("Expiration", {}):
            last = steps[-1]
            assert rule["Expiration"]["Days"] - last["Days"] >= MIN_DAYS[last["StorageClass"]]
        for step in steps:
            if step["StorageClass"] in {"STANDARD_IA", "ONEZONE_IA"}:
                assert step["Days"] >= 30
    # the server does reject a malformed rule (the check above is not vacuous)
    expiration = {"Days": 30, "ExpiredObjectDeleteMarker": True}  # mutually exclusive
    bad_rule = {"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": expiration}
    broken = {"Rules": [bad_rule]}
    with pytest.raises(client.exceptions.ClientError):
        client.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=broken)


POLICY_LINT = SKILLS / "iam-least-privilege-policy" / "scripts" / "policy_lint.py"


def load_policy_lint() -> ModuleType:
    import sys

    spec = importlib.util.spec_from_file_location("policy_lint", POLICY_LINT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_policy_lint_passes_our_templates(capsys: pytest.CaptureFixture[str]) -> None:
    identity = [str(p) for p in policies()]
    assert load_policy_lint().main(identity) == 0
    assert capsys.readouterr().out.startswith(f"ok: {len(identity)} policy file(s)")


@pytest.mark.parametrize(
    ("statement", "codes"),
    [
        # "*" includes iam:PassRole on every role, without a condition
        ({"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"}, {"P202", "P203", "P204"}),
        ({"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"P202"}),
        ({"Sid": "A", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, {"P201"}),
        (
            {"Sid": "A", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"P203", "P204", "P205"},
        ),
        (
            {
                "Sid": "A",
                "Effect": "Allow",
                "Action": "iam:Pass*",
                "Resource": "arn:aws:iam::111122223333:role/app",
            },
            {"P204"},
        ),
        ({"Sid": "A", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}, {"P205"}),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, {"P102"}),
        (
            {
                "Sid": "A",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEqualz": {"aws:SourceVpce": "vpce-1"}},
            },
            {"P104"},
        ),
        ({"Sid": "A", "Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}, {"P101"}),
    ],
)
def test_policy_lint_flags_over_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], statement: dict[str, Any], codes: set[str]
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}), "utf-8")
    assert load_policy_lint().main([str(path), "--format", "json"]) == 1
    found = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found == codes


def test_policy_lint_document_checks_and_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load_policy_lint()
    ok = {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    doc = {"Version": "2008-10-17", "Statement": [ok, dict(ok)]}
    assert {f.code for f in module.check_document("p", doc)} == {"P002", "P004"}
    big = {"Version": "2012-10-17", "Statement": [{**ok, "Sid": f"S{i}"} for i in range(80)]}
    assert "P005" in {f.code for f in module.check_document("p", big)}
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert module.main([str(broken)]) == 2
    assert module.main([str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "cannot read" in err and "Traceback" not in err


#: What a user would ask -> the skill an agent should find first in our catalog.
REQUESTS = {
    "how big is my S3 bucket and what uses the space": "s3-object-metadata-report",
    "write a least-privilege IAM policy with conditions": "iam-least-privilege-policy",
    "set up an EC2 auto scaling group": "ec2-auto-scaling-setup",
    "convert SOP files to skills": "migrating-agent-sops",
    "publish skills catalog to S3": "skill-catalog-publishing",
    "lint skills in GitHub Actions": "ci-linting-for-skills",
    "lifecycle rule to move old objects to Glacier": "s3-lifecycle-rules",
    "write a new skill description": "authoring-agent-skills",
    "how do I write a good SKILL.md for a new agent skill": "authoring-agent-skills",
    "my skill description is too long": "authoring-agent-skills",
}


@pytest.mark.timeout(120)
def test_served_catalog_finds_and_delivers_our_skills(built_dist: Path, tmp_path: Path) -> None:
    """Our skills built and served by `skillkit serve` (stdio, MCP SDK client): each typical
    request finds the intended skill first, and bundled files arrive byte for byte."""
    from mcp import types

    from tests.serve_support import run_async, stdio_session

    dist = built_dist

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "serve.log") as session:
            for request, expected in REQUESTS.items():
                found = await session.call_tool("search_skills", {"query": request})
                assert found.structured_content is not None
                names = [hit["name"] for hit in found.structured_content["results"]]
                assert names[:1] == [expected], (request, names)
            got = await session.call_tool("retrieve_skill", {"name": "s3-object-metadata-report"})
            skill = got.structured_content
            assert skill is not None
            assert (
                skill["content"].encode("utf-8") == (SCRIPT.parent.parent / "SKILL.md").read_bytes()
            )
            files = {f["path"]: f["uri"] for f in skill["files"]}
            read = await session.read_resource(files["scripts/aggregate_metadata.py"])
            content = read.contents[0]
            assert isinstance(content, types.TextResourceContents)
            assert content.text.encode("utf-8") == SCRIPT.read_bytes()
            ec2 = await session.call_tool("retrieve_skill", {"name": "ec2-auto-scaling-setup"})
            assert ec2.structured_content is not None
            assert ec2.structured_content["requires"] == [
                {"name": "iam-least-privilege-policy", "range": "^1"}
            ]

    run_async(main)


def test_access_denied_over_the_wire(
    s3_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An endpoint on 127.0.0.1 that refuses like S3 does (403 AccessDenied): one clear line."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
        b"<Message>Access Denied</Message><RequestId>R1</RequestId></Error>"
    )
    seen: list[str] = []
    owners: list[str | None] = []

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            owners.append(self.headers.get("x-amz-expected-bucket-owner"))
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        code, _, err = run(
            capsys,
            "private-bucket",
            "--endpoint-url",
            endpoint,
            "--expected-bucket-owner",
            "111122223333",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2
    assert err.startswith("error: access denied listing s3://private-bucket")
    assert "s3:ListBucket" in err and "arn:aws:s3:::private-bucket" in err
    assert len(err.strip().splitlines()) == 1
    assert any("list-type=2" in path for path in seen)  # it really asked for ListObjectsV2
    assert owners and set(owners) == {"111122223333"}  # and said whose bucket it expects


def test_script_top_level_imports_are_standard_library() -> None:
    """What SKILL.md promises for the sandbox: boto3 is imported only inside functions."""
    import ast
    import sys

    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            top.add(node.module.split(".")[0])
    assert top and top <= set(sys.stdlib_module_names) | {"__future__"}, top
