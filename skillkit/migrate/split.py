"""Group steps into coherent parts, and move long step detail out of a SKILL.md body."""

from __future__ import annotations

from markdown_it import MarkdownIt

from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.model import Step
from skillkit.migrate.scan import first_keyword, label_of, normalise

_MD = MarkdownIt("commonmark").enable("table")


def group_steps(steps: list[Step], max_tokens: int, max_lines: int) -> list[list[Step]]:
    """Consecutive steps, greedily packed so each group stays under both limits."""
    groups: list[list[Step]] = []
    current: list[Step] = []
    tokens = lines = 0
    for step in steps:
        step_tokens = count_tokens(step.text)
        step_lines = step.text.count("\n") + 1
        if current and (tokens + step_tokens > max_tokens or lines + step_lines > max_lines):
            groups.append(current)
            current, tokens, lines = [], 0, 0
        current.append(step)
        tokens += step_tokens
        lines += step_lines
    if current:
        groups.append(current)
    return groups


def slim_step(text: str, link: str) -> tuple[str, str]:
    """Split a step into (kept, detail): headings, the first paragraph, labels and constraint
    lists stay; code, tables and other prose go to ``detail``. ``link`` is inserted where the
    detail was, so the agent knows where to read it."""
    lines = text.splitlines(keepends=True)
    tokens = _MD.parse(text)
    kept: list[str] = []
    detail: list[str] = []
    first_paragraph_done = False
    previous_label = False
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        block = "".join(lines[token.map[0]:token.map[1]]).rstrip("\n") + "\n"
        keep = False
        is_label = False
        if token.type == "heading_open":
            keep = True
        elif token.type == "paragraph_open":
            content = normalise(tokens[index + 1].content)
            is_label = label_of(content) is not None
            keep = is_label or first_keyword(content) is not None or not first_paragraph_done
            first_paragraph_done = True
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            keep = previous_label or first_keyword(block) is not None
        (kept if keep else detail).append(block)
        if not keep and len(detail) == 1:
            kept.append(link)
        previous_label = is_label
    return "\n".join(kept), "\n".join(detail)
