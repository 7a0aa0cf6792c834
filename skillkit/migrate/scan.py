"""Find constraints and parameters in Markdown, the same way in an SOP and in emitted skills.

Using one scanner for both sides is what makes the lossless check meaningful: a constraint
is a list item or a paragraph sentence with an RFC 2119 keyword (or an item of a labelled
constraint block), whitespace-normalised; a parameter is an item or table row of a
parameters section. Code fences are tokens of their own, so nothing inside them counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from skillkit.markdown import tokens as md_tokens
from skillkit.migrate.classify import classify_heading
from skillkit.migrate.links import SKILL_NOTE
from skillkit.migrate.model import RFC2119_LEVELS, Constraint, Parameter, SectionKind

KEYWORD = re.compile(r"(?<![A-Za-z])(" + "|".join(RFC2119_LEVELS) + r")(?![A-Za-z])")
_DECLARATION = re.compile(r"RFC\s*2119|BCP\s*14|RFC\s*8174", re.IGNORECASE)
_BOLD_LABEL = re.compile(r"^(\*\*|__)(?P<label>[^*_]{1,80}?)\s*:?\s*\1\s*:?$")
_PLAIN_LABEL = re.compile(
    r"^(?P<label>[^.!?:]{0,40}(?:constraint|einschr[aä]nkung|restricci[oó]n|regeln|rules)"
    r"[^.!?:]{0,40}):$",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z¿¡\"'*`(])")
_PARAM_MARKED = re.compile(
    r"^(\*\*|`)(?P<name>[^*`]+?)\1\s*(?:\((?P<spec>[^)]*)\))?\s*[:\-\u2013\u2014]?\s*(?P<desc>.*)$",
    re.DOTALL,
)
_PARAM_PLAIN = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*[:\-\u2013\u2014]?\s*(?P<desc>.*)$",
    re.DOTALL,
)
_REQUIRED_WORDS = ("required", "erforderlich", "pflicht", "obligatorio", "requerido",
                   "obligatoire", "mandatory")
_CONDITION = re.compile(
    r"\b(?:required|optional|erforderlich|obligatorio|requerido)\s+"
    r"(?:if|when|unless|falls|wenn|si|cuando)\b.*",
    re.IGNORECASE,
)
_DEFAULT = re.compile(
    r"(?:default|standard|por defecto|predeterminado)\s*[:=]\s*(?P<value>.+)", re.IGNORECASE
)


def normalise(text: str) -> str:
    return " ".join(text.split())


_LINK = re.compile(r"!?\[((?:\\.|[^\[\]\\]|\[[^\]]*\])*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+[^)]*)?\)")


def canonical(text: str) -> str:
    """A constraint as the lossless check compares it: links reduced to their text (the
    migrator re-targets links to copied files and moved headings) and without the skill name
    it writes after a link to another migrated SOP."""
    return normalise(_LINK.sub(r"\1", SKILL_NOTE.sub("", text)))


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, split as constraint sentences are split."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def defuse(text: str) -> str:
    """Lower-case the RFC 2119 keywords of text the migrator writes from SOP text (a step
    called "Confirm REQUIRED Approvals", a summary), so navigation never reads as an extra
    constraint."""
    return KEYWORD.sub(lambda m: m.group(1).lower(), text)


def first_keyword(text: str) -> str | None:
    match = KEYWORD.search(text)
    return match.group(1) if match else None


_CONSTRAINT_WORDS = re.compile(
    r"constraint|einschr[aä]nkung|restricci[oó]n|regeln|r[eè]gles|rules|requirements", re.I
)


def bold_label(text: str) -> str | None:
    """The label of a paragraph that is only a bold label (``**Build Validation:**``)."""
    match = _BOLD_LABEL.match(text)
    return match.group("label").strip() or None if match else None


def label_of(text: str) -> str | None:
    """The label text if this paragraph labels a constraint block: ``**Constraints:**``,
    ``**MUST NOT DO:**``, ``Constraints for parameter acquisition:``. Other bold labels
    (``**Interactive Mode:**``) only title a list; their items need keywords of their own."""
    match = _BOLD_LABEL.match(text) or _PLAIN_LABEL.match(text)
    if match is None:
        return None
    label = match.group("label").strip()
    if not label or not (_CONSTRAINT_WORDS.search(label) or first_keyword(label)):
        return None
    return label


def parse_spec(spec: str | None) -> tuple[bool, str | None, str | None]:
    """``required, optional, default: "x"`` -> (required, default, condition)."""
    if spec is None:
        return False, None, None
    lowered = spec.lower()
    condition_match = _CONDITION.search(spec)
    condition = normalise(condition_match.group(0)) if condition_match else None
    default_match = _DEFAULT.search(spec)
    default = None
    if default_match:
        default = default_match.group("value").strip().strip("\"'`")
    required = condition is None and any(word in lowered for word in _REQUIRED_WORDS)
    return required, default, condition


def parse_parameter_item(text: str, line: int) -> Parameter | None:
    match = _PARAM_MARKED.match(text) or _PARAM_PLAIN.match(text)
    if match is None:
        return None
    name = match.group("name").strip()
    if not name or len(name) > 80:
        return None
    required, default, condition = parse_spec(match.group("spec"))
    desc = match.group("desc").strip()
    if match.group("spec") is None:
        # "**name**: text (required)" puts the spec in the prose.
        required, default, condition = parse_spec(desc)
    return Parameter(name, required, default, desc, condition, line, "list")


@dataclass
class ScanResult:
    constraints: list[Constraint] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    #: (label text, line) of every constraint-block label seen.
    labels: list[tuple[str, int]] = field(default_factory=list)
    #: lines of RFC 2119 declarations.
    declarations: list[int] = field(default_factory=list)
    #: lines of lists holding keyword constraints with no label before them.
    unlabelled: list[int] = field(default_factory=list)
    #: (parameter, raw item text) of parameter items in non-standard form.
    odd_parameters: list[int] = field(default_factory=list)


@dataclass
class _Item:
    line: int
    depth: int
    level: int
    parts: list[str] = field(default_factory=list)


def _line(token: Token, offset: int) -> int:
    return (token.map[0] if token.map else 0) + 1 + offset


def scan(
    text: str, *, line_offset: int = 0, kind: SectionKind | None = None, sections: bool = True
) -> ScanResult:
    """Scan Markdown ``text``; ``line_offset`` maps its line 1 to a line of the file. With
    ``sections=False`` (a reference file) headings never make a parameters section: a moved
    step's sub-heading "Inputs" is not the SOP's Parameters."""
    result = ScanResult()
    tokens = md_tokens(text)
    label: str | None = None
    label_depth = 0
    #: a bold title (``**Build Validation:**``) right before a list: not a missing label
    titled = False
    list_depth = 0
    items: list[_Item] = []
    #: per open list: whether a label preceded it and whether it held keyword constraints
    lists: list[tuple[int, bool]] = []
    skip_until = -1
    for index, token in enumerate(tokens):
        if index <= skip_until:
            continue
        ttype = token.type
        if ttype == "heading_open":
            label = None
            heading = tokens[index + 1].content
            if token.tag == "h1" or not sections:
                kind = None if sections else kind
            elif token.tag == "h2":
                kind = classify_heading(heading)[0]
            skip_until = index + 2
        elif ttype in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            lists.append((_line(token, line_offset), label is not None or titled))
            titled = False
        elif ttype in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            lists.pop()
        elif ttype == "list_item_open":
            items.append(_Item(_line(token, line_offset), list_depth, token.level))
        elif ttype == "list_item_close":
            item = items.pop()
            _item(result, item, kind, label, label_depth, lists)
        elif ttype == "inline" and tokens[index - 1].type == "paragraph_open":
            if items:
                if token.level == items[-1].level + 2:
                    items[-1].parts.append(token.content)
                continue
            para = normalise(token.content)
            para_line = _line(token, line_offset)
            found = label_of(para)
            if found is not None:
                label = first_keyword(found) or ""
                label_depth = list_depth + 1
                result.labels.append((found, para_line))
                continue
            label = None
            titled = bold_label(para) is not None
            if _DECLARATION.search(para):
                result.declarations.append(para_line)
                continue
            for sentence in _SENTENCE_SPLIT.split(canonical(para)):
                level = first_keyword(sentence)
                if level is not None:
                    result.constraints.append(Constraint(level, sentence, para_line))
        elif ttype == "table_open" and not items:
            end = next(
                (j for j in range(index, len(tokens)) if tokens[j].type == "table_close"),
                len(tokens) - 1,
            )
            if kind is SectionKind.PARAMETERS:
                result.parameters.extend(_table(tokens[index:end], line_offset))
            skip_until = end
    return result


def _item(
    result: ScanResult,
    item: _Item,
    kind: SectionKind | None,
    label: str | None,
    label_depth: int,
    lists: list[tuple[int, bool]],
) -> None:
    text = normalise(" ".join(item.parts))
    if not text:
        return
    if kind is SectionKind.PARAMETERS and item.depth == 1:
        param = parse_parameter_item(text, item.line)
        if param is not None:
            result.parameters.append(param)
            return
    text = canonical(text)
    level = first_keyword(text)
    if level is not None:
        result.constraints.append(Constraint(level, text, item.line))
        if lists and not lists[-1][1] and lists[-1][0] not in result.unlabelled:
            result.unlabelled.append(lists[-1][0])
    elif label is not None and item.depth == label_depth:
        result.constraints.append(Constraint(label, text, item.line))


def _table(tokens: list[Token], line_offset: int) -> list[Parameter]:
    rows: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    row_line = 0
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            current = []
            row_line = _line(token, line_offset)
        elif token.type == "tr_close" and current is not None:
            rows.append((row_line, current))
            current = None
        elif token.type == "inline" and current is not None and index > 0:
            current.append(normalise(token.content))
    if len(rows) < 2:
        return []
    header = [h.lower() for h in rows[0][1]]

    def col(*words: str) -> int | None:
        return next((i for i, h in enumerate(header) if any(w in h for w in words)), None)

    name_col = col("name", "param", "nombre", "parámetro") or 0
    req_col = col("requir", "erforderlich", "pflicht", "obligatori", "type", "typ", "tipo")
    def_col = col("default", "standard", "defecto", "predeterminado")
    desc_col = col("descr", "beschreib", "meaning", "bedeutung", "purpose")
    params = []
    for line, cells in rows[1:]:
        if name_col >= len(cells):
            continue
        name = cells[name_col].strip("*_` ")
        if not name:
            continue
        spec = cells[req_col] if req_col is not None and req_col < len(cells) else ""
        required, default, condition = parse_spec(spec)
        if spec.strip().lower() in ("yes", "ja", "sí", "si", "true", "x", "✓"):
            required = True
        if def_col is not None and def_col < len(cells):
            value = cells[def_col].strip("`\"' ")
            default = value if value not in ("", "-", "\u2014", "n/a") else None
        desc = cells[desc_col] if desc_col is not None and desc_col < len(cells) else ""
        params.append(Parameter(name, required, default, desc, condition, line, "table"))
    return params
