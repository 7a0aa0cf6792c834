"""``skillkit rule``: a rule's documentation, or the list of all rules."""

from __future__ import annotations

import difflib
import json
from typing import Any

import click

from skillkit.cli._common import handle_errors, text_or_json
from skillkit.errors import SkillkitError
from skillkit.lint.registry import all_rules, get_rule
from skillkit.lint.rules.base import Rule


def rule_record(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.label,
        "fixable": rule.fixable,
        "summary": rule.summary,
        "tree": rule.check_tree is not None,
        "options": dict(rule.options),
        "help_uri": rule.help_uri,
        "documentation": rule.doc.strip(),
    }


def explain(rule: Rule) -> str:
    """The rule's documentation page as text."""
    fix = "yes (`skillkit lint --fix`)" if rule.fixable else "no"
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"Default severity: {rule.severity.label}",
        f"Fixable: {fix}",
    ]
    if rule.options:
        opts = ", ".join(f"{k} = {v!r}" for k, v in rule.options.items())
        lines.append(f"Options ([tool.skillkit.rules.{rule.code}]): {opts}")
    lines += ["", rule.doc.strip() or rule.summary, "", f"More: {rule.help_uri}"]
    return "\n".join(lines) + "\n"


def listing(rules: tuple[Rule, ...]) -> str:
    width = max((len(r.name) for r in rules), default=4)
    rows = [f"{'CODE':<6} {'NAME':<{width}} {'SEVERITY':<8} FIX  SUMMARY"]
    for r in rules:
        fix = "yes" if r.fixable else "-"
        rows.append(f"{r.code:<6} {r.name:<{width}} {r.severity.label:<8} {fix:<4} {r.summary}")
    return "\n".join(rows) + "\n"


def suggest(wanted: str) -> str | None:
    """The rule the user probably meant: same words in another order, a letter O typed for a
    zero, or the closest spelling."""
    rules = all_rules()
    words = set(wanted.lower().replace("_", "-").split("-"))
    for r in rules:
        if words <= set(r.name.split("-")) and len(words) > 1:
            return r.name
    as_code = wanted.upper().replace("O", "0")
    if get_rule(as_code) is not None:
        return as_code
    choices = [r.code for r in rules] + [r.name for r in rules]
    close = difflib.get_close_matches(as_code, choices, n=1) or difflib.get_close_matches(
        wanted.lower(), choices, n=1
    )
    return close[0] if close else None


def find(code_or_name: str) -> Rule:
    rule = get_rule(code_or_name)
    if rule is not None:
        return rule
    wanted = code_or_name.strip()
    close = suggest(wanted)
    hint = f"; did you mean {close}?" if close else ""
    raise SkillkitError(f"no rule {wanted!r}{hint} (list them with `skillkit rule --all`)")


@click.command(
    "rule",
    epilog="""\b
Examples:
  skillkit rule SK101            explain one rule by code
  skillkit rule invalid-name     ... or by name
  skillkit rule --all            list every rule
  skillkit rule --all --output-format json
\b
Exit status: 0 shown, 2 no such rule.""",
)
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule instead of one.")
@text_or_json()
@handle_errors
def command(code: str | None, show_all: bool, output_format: str) -> None:
    """Explain a lint rule (by code such as SK101, or by name), or list them all."""
    if show_all or code is None:
        if code is not None:
            raise SkillkitError("give a rule code or --all, not both")
        if not show_all:
            raise SkillkitError("which rule? give a code (e.g. SK101) or --all")
        rules = all_rules()
        if output_format == "json":
            click.echo(json.dumps([rule_record(r) for r in rules], indent=2))
        else:
            click.echo(listing(rules), nl=False)
        return
    rule = find(code)
    if output_format == "json":
        click.echo(json.dumps(rule_record(rule), indent=2))
    else:
        click.echo(explain(rule), nl=False)
