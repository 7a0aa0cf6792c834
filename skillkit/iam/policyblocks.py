"""IAM policy documents written in a skill: fenced ``json`` blocks and ``.json`` files that
hold a ``Statement``. Each action and condition key is found with its line in the file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PolicyBlock:
    """One policy document; `document` is None when the text is not JSON (`error` says why)."""

    path: Path
    #: 1-based file line of the block's first line
    line: int
    text: str
    document: Any
    error: str | None = None


@dataclass(frozen=True)
class PolicyItem:
    """An action (or condition entry) of a statement, located in the file."""

    value: str
    effect: str
    line: int
    column: int
    statement: dict[str, Any]


_LOOKS_LIKE_POLICY = re.compile(r'"(Statement|Effect|Action)"\s*:')


#: `_LOOKS_LIKE_POLICY` as it may be spelt across a fenced block's lines in the Markdown: the
#: block's content drops each line's indentation and quote markers (`>`), which may then stand
#: between a key and its colon.
_MAY_HOLD_POLICY = re.compile(r'"(?:Statement|Effect|Action)"[\s>]*:')


def looks_like_policy(text: str) -> bool:
    return bool(_LOOKS_LIKE_POLICY.search(text))


def may_hold_policy(markdown: str) -> bool:
    """False when no fenced block of `markdown` can look like a policy (`looks_like_policy`)."""
    return bool(_MAY_HOLD_POLICY.search(markdown))


def parse_block(path: Path, line: int, text: str) -> PolicyBlock:
    try:
        document = json.loads(text)
    except ValueError as exc:
        return PolicyBlock(path, line, text, None, str(exc))
    except RecursionError:
        return PolicyBlock(path, line, text, None, "nests too deeply")
    return PolicyBlock(path, line, text, document)


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a policy, a bare statement, or a list of statements."""
    if isinstance(document, list):
        return [s for s in document if isinstance(s, dict)]
    if not isinstance(document, dict):
        return []
    body = document.get("Statement")
    if body is None and ("Effect" in document or "Action" in document):
        return [document]
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return [s for s in body if isinstance(s, dict)]
    return []


def as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Locator:
    """Finds successive quoted strings in a block, so repeated values get their own lines."""

    def __init__(self, block: PolicyBlock) -> None:
        self.block = block
        self.cursor = 0

    def find(self, value: str) -> tuple[int, int]:
        needle = json.dumps(value)
        at = self.block.text.find(needle, self.cursor)
        if at < 0:
            at = self.block.text.find(needle)
        if at < 0:
            return self.block.line, 1
        self.cursor = at + len(needle)
        line = self.block.text.count("\n", 0, at)
        start = self.block.text.rfind("\n", 0, at) + 1
        return self.block.line + line, at - start + 2


def actions(block: PolicyBlock) -> Iterator[PolicyItem]:
    """Every entry of ``Action`` and ``NotAction`` in the block, in order."""
    locate = _Locator(block)
    for statement in statements(block.document):
        effect = str(statement.get("Effect", "Allow"))
        for key in ("Action", "NotAction"):
            for value in as_list(statement.get(key)):
                line, column = locate.find(value)
                yield PolicyItem(value, effect, line, column, statement)


def conditions(block: PolicyBlock) -> Iterator[tuple[str, str, list[str], int, int]]:
    """(operator, key, values, line, column) for every condition entry of the block."""
    locate = _Locator(block)
    for statement in statements(block.document):
        condition = statement.get("Condition")
        if not isinstance(condition, dict):
            continue
        for operator, entries in condition.items():
            if not isinstance(entries, dict):
                continue
            for key, value in entries.items():
                line, column = locate.find(key)
                values = [
                    str(v).lower() if isinstance(v, bool) else str(v)
                    for v in (value if isinstance(value, list) else [value])
                ]
                yield str(operator), str(key), values, line, column
