"""Group steps into coherent parts, and move long step detail out of a SKILL.md body."""

from __future__ import annotations

from skillkit.markdown import tokens as md_tokens
from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.model import Step
from skillkit.migrate.scan import first_keyword, label_of, normalise


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


#: block types that a global section gives up to references/: the bulk (templates, samples),
#: never its prose, which may be a rule every step needs.
_BULK = frozenset({"fence", "code_block", "table_open", "html_block"})


def slim_step(text: str, link: str, *, prose: bool = True) -> tuple[str, str]:
    """Split a step into (kept, detail): the first paragraph, labels and constraint lists stay;
    code, tables and other prose go to ``detail``. With ``prose=False`` (a global section)
    only code, tables and HTML move. ``link`` ends the kept text, so the agent knows where to
    read the detail.

    The lossless check reads a list as a label's constraints while no plain paragraph or
    heading has come between them. So a paragraph that ends a label's block never moves, and
    the link (a paragraph) goes last, where it cannot end a block early; code and tables do
    not end a block and move freely.

    A sub-heading goes to each side that has content under it, so neither side is left with
    empty headings and the detail still reads in its original structure."""
    lines = text.splitlines(keepends=True)
    tokens = md_tokens(text)
    #: (heading level or 0 for content, block text, kept)
    blocks: list[tuple[int, str, bool]] = []
    first_paragraph_done = False
    label_active = False
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        block = "".join(lines[token.map[0]:token.map[1]]).rstrip("\n") + "\n"
        if token.type == "heading_open":
            blocks.append((int(token.tag[1]), block, True))
            label_active = False
            continue
        if token.type == "paragraph_open":
            content = normalise(tokens[index + 1].content)
            is_label = label_of(content) is not None
            keep = (is_label or label_active or first_keyword(content) is not None
                    or not first_paragraph_done or not prose)
            first_paragraph_done = True
            label_active = is_label
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            keep = label_active or first_keyword(block) is not None or not prose
        else:
            keep = not prose and token.type not in _BULK
        blocks.append((0, block, keep))
    kept: list[str] = []
    detail: list[str] = []
    for index, (level, block, keep) in enumerate(blocks):
        if level:
            scope = []
            for later, _body, stays in blocks[index + 1:]:
                if later and later <= level:
                    break
                if not later:
                    scope.append(stays)
            if index == 0 or any(scope) or not scope:
                kept.append(block)
            if index > 0 and scope and not all(scope):
                detail.append(block)
            continue
        (kept if keep else detail).append(block)
    if not any(not level and not keep for level, _block, keep in blocks):
        return text, ""
    return "\n".join([*kept, link]), "\n".join(detail)
