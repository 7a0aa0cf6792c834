"""`skillkit run-script`: the sandbox's rules, locally; end to end against moto_server with IAM
enforcement, under the policy `skillkit iam policy` emits."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skillkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "skills" / "s3-object-metadata-report"
SCRIPT = REPORT / "scripts" / "aggregate_metadata.py"
BIN = Path(sys.executable).parent
BUCKET = "report-bucket"
DRIVER = "await report_with_call_boto3(call_boto3, bucket, sample=2)"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "script.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_last_expression_is_the_result_with_top_level_await(tmp_path: Path) -> None:
    script = write(
        tmp_path,
        "import json\n\nasync def double(x):\n    return 2 * x\n\n"
        "{'n': await double(n), 'name': name}\n",
    )
    result = run("run-script", str(script), "--set", "n=21", "--set", "name=plain text")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"n": 42, "name": "plain text"}


@pytest.mark.parametrize(
    "module", ["random", "datetime", "time", "uuid", "inspect", "boto3", "urllib.request", "socket"]
)
def test_blocked_modules_are_refused(tmp_path: Path, module: str) -> None:
    script = write(tmp_path, f"import {module}\n1\n")
    result = run("run-script", str(script))
    assert result.exit_code == 1
    assert "run_script sandbox" in result.stderr and "Traceback" not in result.output


def test_nothing_is_preimported(tmp_path: Path) -> None:
    result = run("run-script", str(write(tmp_path, "json.dumps(1)\n")))
    assert result.exit_code == 1
    assert "NameError" in result.stderr


def test_bad_scripts_and_options_are_clear(tmp_path: Path) -> None:
    result = run("run-script", str(write(tmp_path, "def broken(:\n")))
    assert result.exit_code == 1 and "script.py:1" in result.stderr
    result = run("run-script", str(write(tmp_path, "1\n")), "--set", "not a name=1")
    assert result.exit_code == 2 and "NAME=VALUE" in result.stderr
    result = run("run-script", str(tmp_path / "missing.py"))
    assert result.exit_code == 2
    bad = tmp_path / "latin1.py"
    bad.write_bytes(b"x = '\xe9'\n")
    result = run("run-script", str(bad))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_a_forgotten_await_is_explained(tmp_path: Path) -> None:
    script = write(tmp_path, "async def f():\n    return 1\n\nf()\n")
    result = run("run-script", str(script))
    assert result.exit_code == 1 and "await" in result.stderr


# --- end to end: moto_server with IAM enforcement ---------------------------------------------


@dataclass
class Moto:
    url: str

    def client(self, service: str, **credentials: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id=credentials.get("key", "testing"),
            aws_secret_access_key=credentials.get("secret", "testing"),
        )

    def enforce(self, on: bool) -> None:
        """moto checks IAM after INITIAL_NO_AUTH_ACTION_COUNT requests; reset-auth sets it."""
        request = urllib.request.Request(
            self.url + "/moto-api/reset-auth",
            data=b"0" if on else b"inf",
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200


@pytest.fixture(scope="module")
def moto() -> Iterator[Moto]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "inf"}
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/moto-api/data.json", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        server = Moto(url)
        s3 = server.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for key in ("logs/a.log", "logs/b.log", "img/c.png"):
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"x" * 10)
            s3.put_object_tagging(
                Bucket=BUCKET, Key=key, Tagging={"TagSet": [{"Key": "team", "Value": "a"}]}
            )
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def _emitted_policy() -> dict[str, Any]:
    result = run(
        "iam", "policy", str(REPORT), "--via-mcp", "none", "--resource", f"arn:aws:s3:::{BUCKET}"
    )
    assert result.exit_code == 0, result.output
    policy: dict[str, Any] = json.loads(result.stdout)
    return policy


def _as_moto_checks_it(policy: dict[str, Any], calls: dict[str, list[str]]) -> dict[str, Any]:
    """moto (5.x) authorizes S3 requests by API operation name (s3:ListObjectsV2), not by the
    IAM action AWS checks (s3:ListBucket): each granted action also grants the operations of
    the script that need it (from skillkit's own operation table), nothing else."""
    out = json.loads(json.dumps(policy))
    for statement in out["Statement"]:
        extra = [f"s3:{op}" for a in statement["Action"] for op in calls.get(a, [])]
        statement["Action"] = sorted({*statement["Action"], *extra})
    return out


def _calls_by_action() -> dict[str, list[str]]:
    from skillkit.iam import botomodel

    calls: dict[str, list[str]] = {}
    for op in ("ListObjectsV2", "HeadObject", "GetObjectTagging"):
        for action in botomodel.actions_for_operation("s3", op) or ():
            calls.setdefault(action, []).append(op)
    return calls


def _run_as(moto: Moto, policy: dict[str, Any], name: str) -> subprocess.CompletedProcess[str]:
    moto.enforce(False)
    iam = moto.client("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="skill", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    moto.enforce(True)
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    try:
        return subprocess.run(
            [
                str(BIN / "skillkit"),
                "run-script",
                str(SCRIPT),
                "--endpoint-url",
                moto.url,
                "--set",
                f"bucket={BUCKET}",
                "--driver",
                DRIVER,
                "--fail-on-denied",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        moto.enforce(False)


@pytest.mark.slow
def test_script_runs_under_the_emitted_policy(moto: Moto) -> None:
    policy = _emitted_policy()
    done = _run_as(moto, _as_moto_checks_it(policy, _calls_by_action()), "granted")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["totals"] == {"objects": 3, "bytes": 30}
    assert report["sample"]["objects"] == 2 and report["sample"]["errors"] == 0
    assert report["sample"]["tag_keys"] == {"team": 2}


@pytest.mark.slow
@pytest.mark.parametrize("removed", ["s3:ListBucket", "s3:GetObject", "s3:GetObjectTagging"])
def test_each_action_removed_is_denied(moto: Moto, removed: str) -> None:
    policy = _emitted_policy()
    granted = [a for s in policy["Statement"] for a in s["Action"]]
    assert removed in granted
    for statement in policy["Statement"]:
        statement["Action"] = [a for a in statement["Action"] if a != removed]
    policy["Statement"] = [s for s in policy["Statement"] if s["Action"]]
    name = "without-" + removed.split(":")[1].lower()
    done = _run_as(moto, _as_moto_checks_it(policy, _calls_by_action()), name)
    assert done.returncode == 1, done.stdout
    assert "AccessDenied" in done.stderr or "Forbidden" in done.stderr


@pytest.mark.slow
def test_make_request_signs_and_returns_status_and_body(moto: Moto, tmp_path: Path) -> None:
    script = write(
        tmp_path,
        "answer = make_request(method='GET', url=url, service_name='s3', region_name='us-east-1')\n"
        "{'status': answer['status_code'], 'has_key': 'logs/a.log' in answer['body']}\n",
    )
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [
            str(BIN / "skillkit"),
            "run-script",
            str(script),
            "--region",
            "us-east-1",
            "--set",
            f"url={moto.url}/{BUCKET}?list-type=2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"status": 200, "has_key": True}
