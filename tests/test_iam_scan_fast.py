"""The AWS usage scan's shortcuts find exactly what the plain scan finds: a scan without runs
(what the lint rules read) against the full scan, each prefilter against the exact search it
guards, on every text file of the corpus and on generated text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from skillkit.iam import botomodel, catalog, checks, infer
from skillkit.iam.infer import RUN_KINDS, Findings, Usage, scan_skill
from skillkit.iam.policyblocks import looks_like_policy, may_hold_policy
from skillkit.loader import load_skill, load_skills
from skillkit.markdown import fenced_blocks

REPO = Path(__file__).resolve().parent.parent
PATH = Path("generated.md")

# Derandomised and unshrunk, as the other property tests: CI runs the same texts every time.
FIXED = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: pieces that sit on the edges of what the scan looks for
PIECES = [
    "aws",
    "aws ",
    "call_aws",
    "aws___",
    "call_boto3",
    "client(",
    "resource(",
    "_",
    ".",
    "-",
    "/",
    "{",
    "=",
    "$",
    "@",
    "é",
    "Ä",
    "—",
    "\u2028",
    " ",
    "\t",
    "\n",
    "\n\n",
    "> ",
    "   ",
    "`",
    "```json\n",
    "```python\n",
    "```\n",
    "~~~\n",
    '"Action"',
    '"Effect"',
    '"Statement"',
    '"Allow"',
    "[",
    "]",
    ",",
    ":",
    "**",
    "boto3.client('s3')",
    "aws s3 ls",
    "aws s3api list-buckets",
    "aws___call_aws",
    "`call_aws`",
]
PREFIXES = [
    "s3",
    "q",
    "ec2",
    "bedrock-agentcore",
    "iam",
    "kms",
    "Note",
    "note",
    "x" * 41,
    "a" + "b" * 40,
    "3s",
    "-s3",
    "S3",
    "",
]
NAMES = [
    "GetObject",
    "PutObject",
    "ResourceAccount",
    "Get*",
    "*",
    "**",
    "ListBuckets",
    "get",
    "GetObjectä",
    "Get_Object",
    "Get/x",
    "Get:x",
    "Get-x",
]
#: `prefix:Name`, with what may stand on either side
mention = st.tuples(
    st.sampled_from(["", " ", "\n", "_", ".", ":", "/", "$", "@", "{", "=", "-", "x", "é", "**"]),
    st.sampled_from(PREFIXES),
    st.sampled_from([":", ":", " :"]),
    st.sampled_from(NAMES),
    st.sampled_from(["", " ", "\n", "_", "é", "*", ",", "`", "{", "-", "/"]),
).map("".join)


@st.composite
def policy(draw: st.DrawFn) -> str:
    """A fenced policy, maybe quoted or in a list item, its key maybe apart from its colon."""
    lead = draw(st.sampled_from(["", "> ", "   ", "1. ", "- ", "> > "]))
    key = draw(st.sampled_from(['"Action"', '"Effect"', '"Statement"', '"Resource"']))
    gap = draw(st.sampled_from(["", " ", "\n" + lead, "\n" + lead + " "]))
    lang = draw(st.sampled_from(["json", "", "jsonc", "yaml", "python"]))
    value = draw(st.sampled_from(['"s3:GetObject"', '["kms:Decrypt", "s3:*"]', '"Allow"', "{"]))
    body = f"{{{key}{gap}: {value}}}"
    return f"{lead}```{lang}\n{lead}{body}\n{lead}```\n"


generated = st.lists(
    st.one_of(st.sampled_from(PIECES), mention, policy(), st.text(max_size=3)), max_size=40
).map("".join)


def _text_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.name.endswith(infer._TEXT_SUFFIXES)
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


# --- the scan without runs --------------------------------------------------------------------


def _usages(found: list[Usage]) -> list[tuple[object, ...]]:
    return [(u.action, u.kind, u.path, u.line, u.column, u.evidence, u.effect) for u in found]


def _assert_written_is_full_less_runs(full: Findings, written: Findings) -> None:
    assert _usages(written.usages) == _usages([u for u in full.usages if u.kind not in RUN_KINDS])
    assert _usages(written.tools) == _usages(full.tools)
    assert written.policies == full.policies
    assert written.unmapped == []


def _skill_roots(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("SKILL.md"))


def test_a_scan_without_runs_finds_the_rest_of_the_full_scan_in_the_repo() -> None:
    roots = _skill_roots(REPO / "skills") + _skill_roots(REPO / "tests" / "data")
    assert roots
    for root in roots:
        skill = load_skill(root)
        _assert_written_is_full_less_runs(scan_skill(skill), scan_skill(skill, runs=False))


@pytest.mark.corpus
def test_a_scan_without_runs_finds_the_rest_of_the_full_scan_in_the_corpus(
    corpus_skills: Path,
) -> None:
    skills = load_skills([corpus_skills]).skills
    assert skills
    runs = 0
    for skill in skills:
        full = scan_skill(skill)
        runs += sum(u.kind in RUN_KINDS for u in full.usages)
        _assert_written_is_full_less_runs(full, scan_skill(skill, runs=False))
    assert runs  # the corpus runs AWS: the comparison left something out


@FIXED
@given(generated, generated)
def test_a_scan_without_runs_finds_the_rest_of_the_full_scan_in_generated_skills(
    body: str, reference: str
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "generated"
        (root / "references").mkdir(parents=True)
        (root / "SKILL.md").write_text(
            "---\nname: generated\ndescription: Generated. Use when testing.\n---\n" + body,
            encoding="utf-8",
        )
        (root / "references" / "more.md").write_text(reference, encoding="utf-8")
        (root / "references" / "more.txt").write_text(reference, encoding="utf-8")
        skill = load_skill(root)
        _assert_written_is_full_less_runs(scan_skill(skill), scan_skill(skill, runs=False))


def test_the_rules_scan_a_declared_skill_once_in_full_and_others_without_runs(
    tmp_path: Path,
) -> None:
    declared = load_skill(REPO / "tests" / "data" / "rules" / "SK702" / "bad" / "undeclared")
    assert checks.written(declared) is checks.findings(declared)
    assert any(u.kind in RUN_KINDS for u in checks.written(declared).usages)
    (tmp_path / "SKILL.md").write_text(
        "---\nname: plain\ndescription: Lists. Use when listing.\n---\n"
        "Run `aws s3 ls`; it needs s3:ListAllMyBuckets.\n",
        encoding="utf-8",
    )
    plain = load_skill(tmp_path)
    assert checks.declaration(plain) is None
    assert [u.kind for u in checks.written(plain).usages] == ["prose"]
    assert {u.kind for u in checks.findings(plain).usages} == {"cli", "prose"}


# --- which Markdown may hold a policy ---------------------------------------------------------


def _assert_policy_blocks_are_foreseen(text: str) -> None:
    if any(looks_like_policy(b.content) for b in fenced_blocks(text)):
        assert may_hold_policy(text)


def test_a_policy_split_by_quote_markers_is_foreseen() -> None:
    text = '> ```json\n> {"Action"\n> : "s3:GetObject"}\n> ```\n'
    assert not looks_like_policy(text)
    assert looks_like_policy(fenced_blocks(text)[0].content)
    assert may_hold_policy(text)


@pytest.mark.corpus
def test_every_policy_block_of_the_corpus_is_foreseen(corpus: Path) -> None:
    files = [p for p in _text_files(corpus) if p.suffix == ".md"]
    assert files
    for path in files:
        text = _read(path)
        if text is not None:
            _assert_policy_blocks_are_foreseen(text)


@FIXED
@given(generated)
def test_every_policy_block_of_generated_markdown_is_foreseen(text: str) -> None:
    _assert_policy_blocks_are_foreseen(text)


# --- prose, tools and lines against the plain searches ----------------------------------------


# the patterns as the scan had them before it was made fast
PLAIN_COLON_NAME = re.compile(r":([A-Z][A-Za-z0-9]*\*?|\*)(?![\w:/{-])")
PLAIN_PREFIX_BEFORE = re.compile(r"(?<![\w:/.$@{=-])([a-z][a-z0-9-]{0,40})$")
PLAIN_TOOL = re.compile(r"(?<![\w.])(?:aws___)?call_aws\b")


def _plain_prose(text: str, skip: set[int]) -> list[tuple[str, int, int]]:
    """What `_scan_prose` finds, by the plain search: every colon's look-back regex."""
    known = catalog.services()
    out = []
    for name in PLAIN_COLON_NAME.finditer(text):
        colon = name.start()
        prefix = PLAIN_PREFIX_BEFORE.search(text, max(0, colon - 42), colon)
        if prefix is None or prefix.group(1) not in known:
            continue
        action = f"{prefix.group(1)}:{name.group(1)}"
        if catalog.is_condition_key(action):
            continue
        at = prefix.start()
        line = text.count("\n", 0, at)
        if line in skip:
            continue
        out.append((action, line + 1, at - (text.rfind("\n", 0, at) + 1) + 1))
    return out


def _prose(text: str, skip: set[int]) -> list[tuple[str, int, int]]:
    out = Findings()
    infer._scan_prose(out, PATH, 1, text, skip)
    return [(u.action, u.line, u.column) for u in out.usages]


def _plain_tools(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLAIN_TOOL.finditer(text)]


def _tools(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in infer._tool_matches(text)]


def _assert_agree(text: str, skip: set[int]) -> None:
    assert _prose(text, skip) == _plain_prose(text, skip)
    assert _tools(text) == _plain_tools(text)


EDGES = [
    "aws___call_aws",
    "call_aws",
    "xaws___call_aws",
    ".call_aws",
    "é call_aws",
    "call_awsx",
    "aws___aws___call_aws",
    "s3:GetObject",
    "q:*",
    "-s3:GetObject",
    "x" * 41 + "s3:Get",
    "**Note:** s3:ResourceAccount s3:Get* ec2:Describe*",
    "é" * 50 + "\nkms:Decrypt",
]


@pytest.mark.parametrize("text", EDGES)
def test_prose_and_tools_agree_with_the_plain_search_on_edges(text: str) -> None:
    _assert_agree(text, set())


@pytest.mark.corpus
def test_prose_and_tools_agree_with_the_plain_search_on_every_corpus_file(corpus: Path) -> None:
    files = _text_files(corpus)
    assert files
    found = 0
    for path in files:
        text = _read(path)
        if text is not None:
            _assert_agree(text, set())
            found += len(_plain_prose(text, set()))
    assert found  # the corpus names actions in prose


@FIXED
@given(generated, st.sets(st.integers(0, 20), max_size=5))
def test_prose_and_tools_agree_with_the_plain_search_on_generated_text(
    text: str, skip: set[int]
) -> None:
    _assert_agree(text, skip)


@FIXED
@given(generated, st.lists(st.integers(0, 400), max_size=12))
def test_lines_counted_from_the_last_question_are_the_lines(text: str, offsets: list[int]) -> None:
    lines = infer._Lines(text, 7)
    for offset in offsets:
        offset = min(offset, len(text))
        start = text.rfind("\n", 0, offset) + 1
        assert lines.index(offset) == text.count("\n", 0, offset)
        assert lines.position(offset) == (7 + text.count("\n", 0, offset), offset - start + 1)


# --- botocore --------------------------------------------------------------------------------


def test_the_prefix_read_from_a_model_head_is_the_prefix_of_the_whole_model() -> None:
    names = sorted(botomodel.services())
    assert len(names) > 100
    for name in names:
        found = botomodel.service(name)
        assert found is not None
        assert botomodel.service_prefix(name) == found.iam_prefix, name
    assert botomodel.service_prefix("no-such-service") is None


def test_a_model_head_without_the_key_in_full_gives_nothing(tmp_path: Path) -> None:
    model = tmp_path / "service-2.json"
    model.write_text('{"version": "2.0", "operations": {"A": {}}, "metadata": {"x": 1}}')
    assert botomodel._head_value(str(model), "metadata") == {"x": 1}
    assert botomodel._head_value(str(model), "missing") is None
    model.write_text('{"metadata": {"x": ' + "1" * (botomodel._HEAD_CHARS + 10) + "}}")
    assert botomodel._head_value(str(model), "metadata") is None
    model.write_text('["metadata"]')
    assert botomodel._head_value(str(model), "metadata") is None
    assert re.fullmatch(r"\S+", botomodel.service_prefix("s3") or "")
