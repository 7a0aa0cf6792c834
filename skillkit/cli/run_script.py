"""``skillkit run-script``: run a skill script locally as the run_script sandbox would."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from skillkit.cli._common import EXIT_FINDINGS, handle_errors


def parse_set(items: tuple[str, ...]) -> dict[str, Any]:
    from skillkit.errors import SkillkitError

    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.isidentifier():
            raise SkillkitError(f"--set {item!r}: expected NAME=VALUE with a Python name")
        try:
            values[name] = json.loads(raw)
        except ValueError:
            values[name] = raw  # plain text, as a shell user types it
    return values


@click.command(
    "run-script",
    epilog="""\b
Examples:
  skillkit run-script skills/s3-object-metadata-report/scripts/aggregate_metadata.py \\
      --set bucket=my-bucket \\
      --driver 'await report_with_call_boto3(call_boto3, bucket, sample=5)'
  skillkit run-script my-skill/scripts/report.py --endpoint-url http://127.0.0.1:5000
\b
The script sees only call_boto3 (async, PascalCase operations) and make_request, as in the
sandbox; blocked modules (random, time, datetime, ... and network libraries) fail to import.
Calls go to AWS with your credentials (or to --endpoint-url). The last expression is printed
as JSON. Exit status: 0 ran, 1 the script raised (or, with --fail-on-denied, a call was
denied), 2 usage error.""",
)
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--endpoint-url", metavar="URL", help="Send every call to this endpoint.")
@click.option("--region", metavar="R", help="Region for calls that name none.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME=VALUE",
    help="Define NAME for the script (VALUE is JSON, else text); repeatable.",
)
@click.option(
    "--driver",
    metavar="CODE",
    help="Code sent after the script, e.g. the line a SKILL.md says to append.",
)
@click.option(
    "--fail-on-denied",
    is_flag=True,
    help="Exit 1 when any call was denied, even one the script caught.",
)
@handle_errors
def command(
    script: Path,
    endpoint_url: str | None,
    region: str | None,
    sets: tuple[str, ...],
    driver: str | None,
    fail_on_denied: bool,
) -> None:
    """Run SCRIPT locally the way the AWS MCP Server's run_script tool does."""
    from skillkit.iam.runscript import RunOptions, ScriptFailed, run_script

    opts = RunOptions(script, endpoint_url, region, parse_set(sets), driver)
    try:
        result = run_script(opts)
    except ScriptFailed as exc:
        _report_calls(exc.calls)
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    _report_calls(result.calls)
    click.echo(json.dumps(result.value, indent=2, default=str))
    if fail_on_denied and result.denied:
        sys.exit(EXIT_FINDINGS)


def _report_calls(calls: list[Any]) -> None:
    for call in calls:
        if call.error:
            click.echo(f"skillkit: {call.service} {call.operation}: {call.error}", err=True)
