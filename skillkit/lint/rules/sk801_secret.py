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
from dataclasses import dataclass

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._texts import skill_texts
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK801"
NAME = "secret"
SEVERITY = Severity.ERROR


@dataclass(frozen=True)
class _Kind:
    what: str
    #: the secret is the pattern's group "s"; the pattern runs only on a text holding one of
    #: the needles (in lower case when `fold`): most files hold none, and `in` is C-speed.
    pattern: re.Pattern[str]
    needles: tuple[str, ...]
    fold: bool = False


def _kind(what: str, pattern: str, *needles: str, fold: bool = False) -> _Kind:
    return _Kind(what, re.compile(pattern), needles, fold)


_KINDS = (
    _kind(
        "AWS access key ID",
        r"(?<![A-Za-z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])",
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
    ),
    _kind(
        "AWS secret access key",
        r"(?i:(?:aws_?)?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?"
        r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        "secret_access_key",
        "secretaccesskey",
        "aws_secret",
        "awssecret",
        "secret_key",
        fold=True,
    ),
    _kind(
        "private key",
        r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
        r"[ \t]*\r?\n(?:[A-Za-z0-9-]+:[^\n]*\n|[ \t]*\r?\n)*[ \t]*(?P<s>[A-Za-z0-9+/=]{40,})",
        "PRIVATE KEY",
    ),
    _kind(
        "GitHub token",
        r"\b(?P<s>gh[pousr]_[A-Za-z0-9]{36,255})\b",
        *("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    _kind("GitHub token", r"\b(?P<s>github_pat_[A-Za-z0-9_]{60,255})\b", "github_pat_"),
    _kind("GitLab token", r"\b(?P<s>glpat-[A-Za-z0-9_-]{20,})", "glpat-"),
    _kind("Slack token", r"\b(?P<s>xox[abposr]-[A-Za-z0-9-]{10,})", "xox"),
    _kind(
        "Slack webhook URL",
        r"(?P<s>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})",
        "hooks.slack.com",
    ),
    _kind("Anthropic API key", r"\b(?P<s>sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{80,})", "sk-ant-"),
    _kind(
        "OpenAI API key",
        r"\b(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})",
        "sk-proj-",
        "sk-svcacct-",
        "sk-admin-",
    ),
    _kind("OpenAI API key", r"\b(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b", "T3BlbkFJ"),
    _kind("Google API key", r"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", "AIza"),
    _kind("Stripe secret key", r"\b(?P<s>(?:sk|rk)_live_[0-9A-Za-z]{24,})\b", "_live_"),
    _kind("npm token", r"\b(?P<s>npm_[A-Za-z0-9]{36})\b", "npm_"),
    _kind("PyPI token", r"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})", "pypi-AgEI"),
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


def _present(kind: _Kind, text: str, folded: str | None) -> bool:
    haystack = folded if kind.fold and folded is not None else text
    return any(n in haystack for n in kind.needles)


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for item in skill_texts(skill, ctx):
        text = item.text
        if text is None:
            continue
        folded = text.lower() if "ecret" in text or "ECRET" in text else None
        seen: set[int] = set()
        for kind in _KINDS:
            if not _present(kind, text, folded):
                continue
            for m in kind.pattern.finditer(text):
                secret = m.group("s")
                start = m.start("s")
                if start in seen or _placeholder(secret):
                    continue
                seen.add(start)
                line, column = item.position(start)
                yield ctx.diagnostic(
                    f"{kind.what} in {item.relpath}: {mask(secret)}; published skills are "
                    "public: remove and revoke it",
                    item.path,
                    line,
                    column,
                )
