"""SOP model -> skill trees in memory: an entry skill, plus one skill per step group if split.

Everything the SOP says is moved verbatim (sections, steps), never rewritten, so the lossless
check can find each constraint again; the text we add never uses RFC 2119 keywords.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from skillkit.anchors import SAME_PAGE_LINK, slug
from skillkit.config import Budgets
from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.describe import Description, build_description, flatten
from skillkit.migrate.model import Scope, Section, SectionKind, Sop, Step
from skillkit.migrate.naming import MAX_DESCRIPTION, MAX_NAME, fit, kebab
from skillkit.migrate.progressive import KEEP_GLOBAL_TOKENS, Refs, long_global, progressive_body
from skillkit.migrate.scan import defuse
from skillkit.migrate.split import group_steps, slim_step

DEFAULT_VERSION = "1.0.0"
#: words Claude refuses in a skill name.
RESERVED_WORDS = frozenset({"claude", "anthropic"})
#: step detail (code, tables, extra prose) at least this long moves to references/ even when
#: the SKILL.md is within budget: the agent reads it only when it reaches that step.
LONG_STEP_DETAIL_TOKENS = 200
#: the progressive layout is used when it saves at least this many tokens of SKILL.md over
#: the inline one; below that, the index and its links cost about what the steps did.
MIN_PROGRESSIVE_SAVING = 100
#: a step group (split skill) is not made smaller than this, however short the steps are.
MIN_PART_TOKENS = 400
#: sections a part skill does not point back to: the steps themselves, and the overview and
#: parameters its header already names.
_IN_PART = frozenset({SectionKind.STEPS, SectionKind.OVERVIEW, SectionKind.PARAMETERS})
_WHY = {
    SectionKind.EXAMPLES: "worked examples",
    SectionKind.TROUBLESHOOTING: "help with a problem",
}


@dataclass
class SkillTree:
    """One emitted skill: relpath -> text, ``SKILL.md`` included."""

    name: str
    role: str  # "entry" or "part"
    description: str
    files: dict[str, str] = field(default_factory=dict)
    #: how the SOP was laid out: "progressive", "inline" or "split".
    layout: str = "inline"
    #: files the SOP links to, bundled as they are (relpath -> bytes); never checked or
    #: counted as migrated text.
    attachments: dict[str, bytes] = field(default_factory=dict)

    @property
    def skill_md(self) -> str:
        return self.files["SKILL.md"]


def _safe(value: str) -> str:
    # Readers that split SKILL.md on "---" (the spec's reference parser does) would cut the
    # front matter at a "---" inside a value, so no value carries one.
    return re.sub(r"-{3,}", "\u2014", value)


def front_matter(name: str, desc: str, metadata: dict[str, str]) -> str:
    meta = {key: _safe(value) for key, value in metadata.items()}
    data = {"name": name, "description": _safe(desc), "metadata": meta}
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n\n"


def over_budget(text: str, budgets: Budgets) -> bool:
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return lines > budgets.skill_md_lines or count_tokens(text) > budgets.skill_md_tokens


_LOOSE_VERSION = re.compile(r"^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?P<rest>[-+][0-9A-Za-z.+-]+)?$")


def normalise_version(value: str) -> str | None:
    """``1`` -> ``1.0.0``, ``v1.2`` -> ``1.2.0``; ``None`` when no version can be read."""
    match = _LOOSE_VERSION.match(value.strip())
    if match is None:
        return None
    numbers = [str(int(g)) for g in match.groups()[:3] if g is not None]
    numbers += ["0"] * (3 - len(numbers))
    return ".".join(numbers) + (match.group("rest") or "")


def metadata(sop: Sop, source: str) -> tuple[dict[str, str], str | None]:
    """The skill's ``metadata`` from the SOP's front matter, and a note when the author's
    version had to be normalised (or replaced) to be semver."""
    meta: dict[str, str] = {}
    for key, value in sop.front_matter.items():
        if key in ("name", "description", "metadata"):
            continue
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            meta[str(key)] = ", ".join(str(v) for v in value)  # skillkit's tags convention
        elif isinstance(value, str):
            meta[str(key)] = value
        elif isinstance(value, int | float) and not isinstance(value, bool) and key == "version":
            meta[str(key)] = str(value)  # `version: 1.1` is a float to YAML
        else:
            # JSON, not YAML flow style: strict readers (strictyaml) reject flow style
            meta[str(key)] = json.dumps(value, sort_keys=True, default=str)
    nested = sop.front_matter.get("metadata")
    if isinstance(nested, dict):
        for key, value in nested.items():
            meta[str(key)] = value if isinstance(value, str) else json.dumps(value, default=str)
    note = None
    given = meta.get("version")
    if given is None:
        meta["version"] = DEFAULT_VERSION
    else:
        fixed = normalise_version(given)
        meta["version"] = fixed or DEFAULT_VERSION
        if fixed is None:
            note = f"version {given!r} is not a version number; using {DEFAULT_VERSION}"
        elif fixed != given:
            note = f"version {given!r} written as semver {fixed!r}"
    meta["source"] = source
    return meta, note


def fitted_description(sop: Sop, summary: str, budgets: Budgets) -> Description:
    """At most 1024 characters and, when possible, within the description token budget
    (every conversation pays for it), still cut at a sentence boundary."""
    limit = 1024
    desc = build_description(sop, summary, sop.title, limit=limit)
    while count_tokens(desc.text) > budgets.description_tokens and limit > 160:
        limit = int(limit * 0.85)
        desc = build_description(sop, summary, sop.title, limit=limit)
    return desc


def _block(text: str) -> str:
    return text.rstrip("\n") + "\n\n"


def _slug(section: Section, taken: set[str], refs: dict[str, str] | None = None) -> str:
    base = kebab(section.title or section.kind.value, 40) or section.kind.value
    slug, n = base, 2
    while slug in taken or (refs is not None and f"references/{slug}.md" in refs):
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _entry_body(
    sop: Sop, steps_block: str | None, refs: dict[str, str], *, lean: bool = False
) -> str:
    """The entry SKILL.md body. ``lean`` (a split's entry, which every part's run loads too):
    a long global section moves out as the progressive layout moves it."""
    parts = [f"# {sop.title}\n\n"]
    taken: set[str] = set()
    steps_done = False
    for section in sop.sections:
        if section.kind is SectionKind.STEPS and steps_block is not None:
            # steps given as several "## Step N" sections are replaced by one block
            if not steps_done:
                parts.append(_block(steps_block))
            steps_done = True
        elif section.scope is Scope.ON_DEMAND:
            rel = f"references/{_slug(section, taken, refs)}.md"
            refs[rel] = f"# {sop.title}: {section.title}\n\n{section.text.rstrip()}\n"
            why = _WHY.get(section.kind, "this reference material")
            parts.append(f"## {section.title}\n\nRead [{rel}]({rel}) when you need {why}; "
                         "it is not needed to start.\n\n")
        elif section.kind is SectionKind.OTHER and lean \
                and count_tokens(section.text) > KEEP_GLOBAL_TOKENS:
            parts.append(_block(long_global(sop, section, Refs(refs))))
        elif section.kind is SectionKind.OTHER:
            parts.append(_block(_slim_section(sop, section, refs, taken)))
        else:
            parts.append(_block(section.text))
    return "".join(parts).rstrip("\n") + "\n"


def _slim_section(sop: Sop, section: Section, refs: dict[str, str], taken: set[str]) -> str:
    """A global section keeps its prose and rules; a long template or sample in it (an
    output format every report follows) moves to its own reference, read when it is used."""
    rel = f"references/{_slug(section, set(taken))}.md"
    link = f"The templates, samples and tables of this section: [{rel}]({rel}).\n"
    kept, detail = slim_step(section.text, link, prose=False)
    if not detail.strip() or count_tokens(detail) < LONG_STEP_DETAIL_TOKENS:
        return section.text
    _slug(section, taken)
    refs[rel] = f"# {sop.title}: {section.title}\n\n{detail}"
    return kept


def _slim(steps_text: list[tuple[Step, str]], refs: dict[str, str], min_tokens: int) -> list[str]:
    """Move each step's detail (code, tables, extra prose) of at least ``min_tokens`` tokens
    to its own reference file; constraints and the step's first paragraph stay."""
    out = []
    for step, text in steps_text:
        rel = f"references/step-{kebab(step.number or step.name, 20) or 'detail'}.md"
        n = 2
        while rel in refs:
            rel = rel.removesuffix(".md") + f"-{n}.md"
            n += 1
        link = f"Detail for this step (commands, samples, tables): [{rel}]({rel}).\n"
        kept, detail = slim_step(text, link)
        if detail.strip() and count_tokens(detail) >= min_tokens:
            refs[rel] = f"# Step {step.number or ''} {step.name}: detail\n\n{detail}"
            out.append(kept)
        else:
            out.append(text)
    return out


def emit_sop(
    sop: Sop, name: str, meta: dict[str, str], desc: str, budgets: Budgets,
    mode: str = "progressive",
) -> list[SkillTree]:
    """Emit the skills for one SOP in ``mode``: ``progressive`` (one skill, steps in
    references/), ``inline`` (one skill, only on-demand material moved) or ``split`` (an entry
    skill plus one skill per step group)."""
    if mode == "progressive":
        body, moved = progressive_body(sop)
        tree = SkillTree(name, "entry", desc, {"SKILL.md": front_matter(name, desc, meta) + body,
                                               **moved}, layout="progressive")
        inline = emit_sop(sop, name, meta, desc, budgets, "inline")[0]
        # A short SOP gains nothing from references: the index costs what the steps did.
        saved = count_tokens(inline.skill_md) - count_tokens(tree.skill_md)
        return [inline if saved < MIN_PROGRESSIVE_SAVING else tree]
    refs: dict[str, str] = {}
    whole = _entry_body(sop, None, refs)
    single_md = front_matter(name, desc, meta) + whole
    if mode == "inline" or len(sop.steps) < 2:
        if sop.steps:
            minimum = 0 if over_budget(single_md, budgets) else LONG_STEP_DETAIL_TOKENS
            slim = _slim([(s, s.text) for s in sop.steps], refs, minimum)
            if slim != [s.text for s in sop.steps]:
                block = _block(sop.steps_intro) + "".join(_block(t) for t in slim)
                single_md = front_matter(name, desc, meta) + _entry_body(sop, block, {})
        return [SkillTree(name, "entry", desc, {"SKILL.md": single_md, **refs})]
    return _emit_split(sop, name, desc, meta, budgets)


def _part_names(name: str, groups: list[list[Step]]) -> list[str]:
    names: list[str] = []
    for index, group in enumerate(groups, 1):
        # a step called "Configure Claude Code" must not put a word Claude reserves into the
        # part's name (SK114): the SOP's own name is the author's, the suffix is ours
        words = [w for w in kebab(group[0].name, 30).split("-")
                 if not any(r in w for r in RESERVED_WORDS)]
        suffix = "-".join(w for w in words if w) or f"part-{index}"
        prefix = kebab(name, MAX_NAME - len(suffix) - 1)
        candidate = f"{prefix}-{suffix}"
        if candidate in names or candidate == name:
            candidate = f"{kebab(name, MAX_NAME - len(suffix) - 4)}-{suffix}-{index}"
        names.append(candidate)
    return names


def _range(group: list[Step]) -> str:
    first, last = group[0].number or group[0].name, group[-1].number or group[-1].name
    return f"step {first}" if len(group) == 1 else f"steps {first} to {last}"


def _elsewhere(named: list[str], entry: str, texts: list[str]) -> tuple[str, str]:
    """The sentence naming the sections that stay in the entry skill, and a stub heading for
    each one the part's steps link to (`[Mode Behavior](#mode-behavior)`): the link then lands
    on a heading that says where the section is, instead of nowhere."""
    if not named:
        return "", ""
    sentence = defuse(f" The sections {', '.join(named)} are in skill `{entry}`.")
    linked = {m.lower() for text in texts for m in SAME_PAGE_LINK.findall(text)}
    stubs = "".join(
        defuse(f"## {title}\n\nThis section is in skill `{entry}`.\n\n")
        for title in named
        if slug(title) in linked
    )
    return sentence, stubs


def _emit_split(
    sop: Sop, name: str, desc: str, meta: dict[str, str], budgets: Budgets
) -> list[SkillTree]:
    # Parts of at most half the budget, and at least a few parts when the steps are short (an
    # explicit --split of a mid-size SOP): the agent then loads only the phase it is in.
    steps_tokens = sum(count_tokens(s.text) for s in sop.steps)
    max_tokens = min(budgets.skill_md_tokens // 2, max(MIN_PART_TOKENS, steps_tokens // 3))
    groups = group_steps(sop.steps, max_tokens, budgets.skill_md_lines // 2)
    names = _part_names(name, groups)
    listing = [
        "This procedure is split into parts so that you load only the part you are on. "
        "Work through them in order:\n"
    ]
    for index, (group, part) in enumerate(zip(groups, names, strict=True), 1):
        titles = "; ".join(s.name for s in group)
        listing.append(defuse(
            f"{index}. {_range(group).capitalize()} ({titles}): use skill `{part}`."))
    listing.append(f"\nStart with skill `{names[0]}`.")
    intro = sop.steps_intro if sop.steps_intro.strip() else "## Steps\n"
    steps_block = _block(intro) + "\n".join(listing)
    entry_refs: dict[str, str] = {}
    entry_meta = dict(meta)
    entry_meta["requires"] = ", ".join(f"{part}@^{meta['version'].split('.')[0]}"
                                       for part in names)
    entry_md = front_matter(name, desc, entry_meta) + _entry_body(sop, steps_block, entry_refs,
                                                                   lean=True)
    trees = [SkillTree(name, "entry", desc, {"SKILL.md": entry_md, **entry_refs}, layout="split")]
    # Steps name the SOP's other sections ("see Mode Behavior", "the Report Format section");
    # in a part skill those are not on the page, so say where they are.
    named = [s.title for s in sop.sections if s.title and s.kind not in _IN_PART]
    for index, (group, part) in enumerate(zip(groups, names, strict=True), 1):
        titles = "; ".join(s.name for s in group)
        elsewhere, stubs = _elsewhere(named, name, [s.text for s in group])
        plain = " ".join(flatten(f"{sop.title}: {titles}"))
        part_desc = fit(defuse(
            f"{_range(group).capitalize()} of the procedure {plain}. Use when carrying out "
            f"skill {name} and reaching {_range(group)}."), MAX_DESCRIPTION)
        head = (f"# {sop.title}: {_range(group)}\n\nPart {index} of {len(groups)} of skill "
                f"`{name}`. Its parameters and the rules for every step are declared in skill "
                f"`{name}`; keep them in force while you work here.{elsewhere}\n\n## Steps\n\n")
        if index < len(groups):
            tail = stubs + defuse(
                f"## Next\n\nNext, use skill `{names[index]}` ({_range(groups[index])}).\n")
        else:
            tail = stubs + (f"## Next\n\nThis is the last part. Go back to skill `{name}` for "
                            "anything left to report or to clean up.\n")
        refs: dict[str, str] = {}
        texts = [s.text for s in group]
        part_meta = {"version": meta["version"], "source": meta["source"]}
        md = (front_matter(part, part_desc, part_meta) + head
              + "".join(_block(t) for t in texts) + tail)
        minimum = 0 if over_budget(md, budgets) else LONG_STEP_DETAIL_TOKENS
        slim = _slim(list(zip(group, texts, strict=True)), refs, minimum)
        if slim != texts:
            md = (front_matter(part, part_desc, part_meta) + head
                  + "".join(_block(t) for t in slim) + tail)
        trees.append(SkillTree(part, "part", part_desc, {"SKILL.md": md, **refs}, layout="split"))
    return trees
