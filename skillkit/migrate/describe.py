"""The description of a migrated skill: what it does and when to use it, in the third person.

The description is all an agent sees of a skill until it decides to use it (L1), so it must
say *when* as well as *what*. SOP overviews say neither well ("This sop guides ..."), so the
description is built from the overview's first sentences (rewritten to the third person),
a trigger ("Use when the user asks to ..."), the required parameters and a deprecation
notice. Markdown is flattened by the parser, so identifiers (``order_service``,
``deploy_tool.py``) keep their underscores and no table markup or stray backtick survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from skillkit.markdown import tokens as md_tokens
from skillkit.migrate.model import Sop
from skillkit.migrate.naming import MAX_DESCRIPTION, fit
from skillkit.migrate.scan import KEYWORD, defuse, sentences

_SUBJECT = re.compile(
    r"^(?:this|the)\s+(?:agent\s+)?(?:sop|standard operating procedure|procedure|document|"
    r"guide|workflow|process|playbook|runbook|skill|script|checklist)\b\s*"
    r"(?:(?:is|was)\s+(?:designed|intended|meant|used|here)\s+to\s+(?P<inf>[a-z]+)|"
    r"(?:will|can|helps?\s+(?:you\s+)?(?:to\s+)?)\s*(?P<inf2>[a-z]+)|(?P<verb>[a-z]+s))\b",
    re.IGNORECASE,
)
#: a description that already says when: no generated trigger is added.
_TRIGGER = re.compile(
    r"\buse\s+(?:this\s+|it\s+)?(?:skill\s+|sop\s+|procedure\s+)?(?:when|whenever|for|to|if)\b|"
    r"\bwhen\s+(?:the|a|an)\s+(?:user|developer|team|operator|engineer)\b|"
    r"\bwhen\s+you\s+(?:need|want|are asked)\b|\btriggers?\b",
    re.IGNORECASE,
)
#: verbs after which the object is a noun phrase the user asks *for* ("guides the X").
_HELPING = frozenset({
    "guide", "help", "support", "assist", "walk", "facilitate", "enable", "provide",
    "describe", "define", "outline", "cover", "explain", "orchestrate", "standardize",
    "standardise", "streamline", "automate", "manage", "handle",
})
_OBJECT_END = re.compile(
    r",|;|:|\s(?:following|while|by|so that|in order|through|which|that|and|"
    r"before|after|with the goal)\s",
    re.IGNORECASE,
)
#: "EvalKit is a conversational evaluation framework ..." -> its object is what is asked for.
_IS_A = re.compile(r"^[\w .'-]{1,60}?\s(?:is|are)\s+(?=(?:an?|the)\s)", re.IGNORECASE)
_PERSON = re.compile(
    r"^(?:you|users?|agents?|the (?:agent|user|team)s?|teams?|developers?|engineers?|"
    r"operators?|people|analysts?|administrators?|admins?|authors?|reviewers?|maintainers?|"
    r"customers?)\s+(?:(?P<through>through)\s+|to\s+)?",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset({"into", "with", "for", "from", "in", "using", "to", "on", "of",
                           "and", "or", "across", "within", "under"})
#: a longer object is cut: the trigger names the task, the first sentence already says more.
MAX_OBJECT_WORDS = 10
_DEPRECATED = re.compile(r"\bdeprecated\b|\bobsolete\b|\bsuperseded\b", re.IGNORECASE)
#: a short trigger that names the procedure costs little and matches the user's words.
MAX_WHAT = 200


@dataclass(frozen=True)
class Description:
    text: str
    #: no overview or front-matter description: built from the title alone.
    from_title: bool


def _inline_text(children: list[Token] | None) -> str:
    out: list[str] = []
    for child in children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    text = "".join(out).replace("`", "")
    return " ".join(text.split())


def flatten(markdown: str) -> list[str]:
    """The prose paragraphs of ``markdown`` as plain text: headings, code, tables and HTML
    dropped; the items of a list joined into one sentence."""
    tokens = md_tokens(markdown)
    paragraphs: list[str] = []
    items: list[str] = []
    depth = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and items:
                joined = "; ".join(item.rstrip(".;") for item in items)
                if paragraphs and paragraphs[-1].endswith(":"):
                    paragraphs[-1] = f"{paragraphs[-1]} {joined}."
                else:
                    paragraphs.append(joined + ".")
                items = []
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            text = _inline_text(token.children)
            if not text:
                continue
            if depth:
                if depth == 1:
                    items.append(text)
            else:
                paragraphs.append(text)
    return paragraphs


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s for para in paragraphs for s in sentences(para)]


def _third_person(verb: str) -> str:
    lower = verb.lower()
    if lower.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lower + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


def _base(verb: str) -> str:
    lower = verb.lower()
    if lower.endswith("ies"):
        return lower[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "oes")):
        return lower[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return lower[:-1]
    return lower


def rewrite_subject(sentence: str) -> tuple[str, str | None]:
    """("This SOP guides the X." -> "Guides the X.", "guide"); other sentences unchanged."""
    match = _SUBJECT.match(sentence)
    if match is None:
        return sentence, None
    if match.group("verb"):
        verb = match.group("verb")
        if verb.lower() in ("is", "was", "has", "does"):
            return sentence, None
        rest = re.sub(r"^\s+you\b", " the user", sentence[match.end():])
        return verb[0].upper() + verb[1:].lower() + rest, _base(verb)
    base = (match.group("inf") or match.group("inf2") or "").lower()
    if not base:
        return sentence, None
    rest = sentence[match.end():]
    third = _third_person(base)
    return third[0].upper() + third[1:] + rest, base


def _trigger(what: str, verb: str | None, title: str) -> str:
    """"Use when the user asks to <verb> <object>, or mentions <Title>." from the what
    sentence; the title alone when no verb phrase can be read."""
    obj = ""
    is_a = _IS_A.match(what) if verb is None else None
    if is_a is not None:
        verb, what = "provide", "Provides " + what[is_a.end():]
    if verb is not None:
        rest = what.split(" ", 1)[1] if " " in what else ""
        person = _PERSON.match(rest)
        if person is not None:
            rest = rest[person.end():]
            if verb in _HELPING and not person.group("through"):
                # "Helps teams rotate the keys": what the user asks is to rotate the keys
                verb, rest = _base(rest.split(" ", 1)[0]), rest.split(" ", 1)[1] if " " in rest \
                    else ""
        cut = _OBJECT_END.search(rest)
        obj = (rest[: cut.start()] if cut else rest).strip().rstrip(".!?")
        words = obj.split()
        if len(words) > MAX_OBJECT_WORDS:
            # "the process of transforming a rough idea into a detailed design ..." -> up to the
            # last preposition that leaves a phrase of four words or more
            stops = [i for i, w in enumerate(words[:MAX_OBJECT_WORDS + 1])
                     if i >= 4 and w.lower() in _PREPOSITIONS]
            obj = " ".join(words[: stops[-1] if stops else MAX_OBJECT_WORDS])
    mention = f"mentions {title}" if title else ""
    if obj and len(obj.split()) >= 2:
        ask = f"asks for {obj}" if verb in _HELPING else f"asks to {verb} {obj}"
        tail = f", or {mention}" if mention and not _names(f"{verb} {obj}", title) else ""
        return f"Use when the user {ask}{tail}."
    return f"Use when the user asks about {title}." if title else \
        "Use when this procedure applies."


def _names(text: str, title: str) -> bool:
    """Whether ``text`` already carries the title's words (by their stems: "generates" names
    "Generator"), so that "or mentions <Title>" would only repeat them."""
    stems = {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower())}
    words = [w[:5] for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) > 2]
    return bool(words) and all(w in stems for w in words)


def _deprecation(sop: Sop) -> str | None:
    """The deprecation notice of the SOP: front matter, or a banner near the top."""
    front = sop.front_matter
    if front.get("deprecated") not in (None, False, "false", "no") or str(
        front.get("status", "")
    ).lower() == "deprecated":
        return "Deprecated."
    head = "\n".join(s.text for s in sop.sections[:3])
    for sentence in _sentences(flatten(head))[:6]:
        if _DEPRECATED.search(sentence):
            notice = fit(defuse(sentence), 200)
            return notice if notice.lower().startswith("deprecated") else f"Deprecated: {notice}"
    return None


def build_description(
    sop: Sop, summary: str, title: str, *, limit: int = MAX_DESCRIPTION
) -> Description:
    """What the skill does and when to use it, at most ``limit`` characters, cut at a
    sentence. ``summary`` is Markdown: the overview, or the SOP's own description."""
    sentences = [_role(s) for s in _sentences(flatten(summary)) if not KEYWORD.search(s)]
    # other second-person sentences instruct the agent; they do not say what the skill does
    sentences = [s for s in sentences if not re.match(r"your?\s", s, re.IGNORECASE)]
    from_title = not sentences
    what_parts: list[str] = []
    verb: str | None = None
    for sentence in sentences:
        rewritten, found = rewrite_subject(sentence)
        if verb is None and found is not None and not what_parts:
            verb = found
        what_parts.append(rewritten if rewritten[-1] in ".!?" else rewritten + ".")
    what = " ".join(what_parts)
    plain_title = " ".join(flatten(f"# {title}\n\n{title}")) if title else ""
    # "Release Notes Generator SOP": the format's name is no part of what the user asks for
    plain_title = re.sub(r"\s+(?:sop|standard operating procedure)$", "", plain_title.rstrip("."),
                         flags=re.IGNORECASE)
    if from_title:
        what = f"Carries out the {plain_title} procedure." if plain_title else ""
    notice = _deprecation(sop)
    required = [p.name for p in sop.parameters if p.required]
    needs = ""
    if required:
        needs = "Needs " + ", ".join(required[:6]) + (", ..." if len(required) > 6 else "") + "."
    first = what_parts[0] if what_parts else what
    acts = _ACTS_TO.match(first) if verb is None else None
    if acts is not None:  # "Acts as a X to create Y": the user asks to create Y
        verb = acts.group("verb").lower()
        first = _third_person(verb).capitalize() + " " + first[acts.end():]
    trigger = _trigger(first, verb, plain_title)
    head = f"{notice} " if notice else ""
    room = limit - len(head) - len(trigger) - len(needs) - 2
    body = fit(what, min(max(room, 80), MAX_WHAT)) if what else ""
    # a description that already says when (after the cut) needs no generated trigger
    parts = [head.strip(), body, "" if _TRIGGER.search(body) else trigger, needs]
    return Description(fit(" ".join(p for p in parts if p), limit), from_title)


def _role(sentence: str) -> str:
    """"You are the first responder for ..." -> "Acts as the first responder for ...";
    "You are a X, and your goal is to create Y" -> "Acts as a X to create Y"."""
    match = re.match(r"you\s+are\s+(?=(?:an?|the)\s)", sentence, re.IGNORECASE)
    if match is None:
        return sentence
    rest = re.sub(r",?\s+and\s+your\s+(?:main\s+)?(?:goal|job|task|role|purpose|mission)\s+"
                  r"is\s+to\s+", " to ", sentence[match.end():], flags=re.IGNORECASE)
    return "Acts as " + rest


_ACTS_TO = re.compile(r"^Acts as .{3,80}? to (?P<verb>[a-z]+) ", re.IGNORECASE)
