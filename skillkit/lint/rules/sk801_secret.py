"""A skill's text holds a secret (an access key, a private key, an API or bot token).

SKILL.md and every bundled text file are checked.

Why: published skills are public: every archive `skillkit build` packs ends up in an index
anyone with the URL can read, and the text goes into agents' prompts. A key in a skill is a
leaked key. The message masks the secret, so the finding itself (CI logs, SARIF uploads)
does not leak it again.

Detected: AWS access key IDs (with their secret keys when they sit beside them), private key
blocks (PEM/OpenSSH/PGP with a key body), GitHub, GitLab, Slack, OpenAI, Anthropic, Google,
Stripe, npm and PyPI tokens, Slack webhook URLs. Not reported: documentation placeholders, such
as AWS's own `AKIAIOSFODNN7EXAMPLE`, values containing `EXAMPLE`, `XXXX` or `<…>`, and
strings made of one repeated character.

Bad: `export AWS_ACCESS_KEY_ID=AKIA…` with a real key in `scripts/deploy.sh`.
Good: `export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:?set it}"`, or the AWS example key.

Fix: remove the secret from the file (and from history), revoke it, and have the skill read
credentials from the environment or the agent's credential store at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._texts import skill_texts
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK801"
NAME = "secret"
SEVERITY = Severity.ERROR

#: (what, pattern): the secret is group "s" when the pattern has one, else the whole match.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(pattern))
    for what, pattern in (
        ("AWS access key ID", r"\b(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b"),
        (
            "AWS secret access key",
            r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?"
            r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        ),
        (
            "private key",
            r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
            r"[ \t]*\r?\n(?:[A-Za-z0-9-]+:[^\n]*\n|[ \t]*\r?\n)*[ \t]*(?P<s>[A-Za-z0-9+/=]{40,})",
        ),
        ("GitHub token", r"\b(?P<s>gh[pousr]_[A-Za-z0-9]{36,255})\b"),
        ("GitHub token", r"\b(?P<s>github_pat_[A-Za-z0-9_]{60,255})\b"),
        ("GitLab token", r"\b(?P<s>glpat-[A-Za-z0-9_-]{20,})"),
        ("Slack token", r"\b(?P<s>xox[abposr]-[A-Za-z0-9-]{10,})"),
        (
            "Slack webhook URL",
            r"(?P<s>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})",
        ),
        ("Anthropic API key", r"\b(?P<s>sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{80,})"),
        ("OpenAI API key", r"\b(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})"),
        ("OpenAI API key", r"\b(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b"),
        ("Google API key", r"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])"),
        ("Stripe secret key", r"\b(?P<s>(?:sk|rk)_live_[0-9A-Za-z]{24,})\b"),
        ("npm token", r"\b(?P<s>npm_[A-Za-z0-9]{36})\b"),
        ("PyPI token", r"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})"),
    )
)
#: every pattern's fixed start: a file without any of these holds no secret (the common case).
_ANY = re.compile(
    r"AKIA|ASIA|ABIA|ACCA|(?i:aws_?secret)|PRIVATE KEY|gh[pousr]_|github_pat_|glpat-|xox|"
    r"hooks\.slack\.com|sk-|AIza|_live_|npm_|pypi-"
)
_PLACEHOLDER = re.compile(r"EXAMPLE|example|XXXX|xxxx|<|>|\.\.\.|…|\*\*\*")


def _placeholder(secret: str) -> bool:
    if _PLACEHOLDER.search(secret):
        return True
    body = secret[-16:]
    # One character over half the tail ("AKIA0000000000000000", "sk-proj-aaaa…"): a stand-in.
    return max(body.count(c) for c in set(body)) > len(body) // 2


def mask(secret: str) -> str:
    """Enough to find the secret again (its kind prefix and length), never enough to use it."""
    shown = 4 if len(secret) >= 16 else 0
    return f"{secret[:shown]}{'*' * 8}… ({len(secret)} characters)"


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for item in skill_texts(skill, ctx):
        if _ANY.search(item.text) is None:
            continue
        seen: set[int] = set()
        for what, pattern in _PATTERNS:
            for m in pattern.finditer(item.text):
                secret = m.group("s")
                start = m.start("s")
                if start in seen or _placeholder(secret):
                    continue
                seen.add(start)
                line, column = item.position(start)
                yield ctx.diagnostic(
                    f"{what} in {item.relpath}: {mask(secret)}; published skills are public: "
                    "remove and revoke it",
                    item.path,
                    line,
                    column,
                )
