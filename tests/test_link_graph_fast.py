"""The link graph's shortcuts against the slow ways they stand for.

- `_Names.named_in` looks for each bundled file by its bare name only, and each folder by its
  shortest name, and first in the text's lowered UTF-8 bytes: it must find what looking for
  every name (bare, from the skill folder, from the text's folder) in ``text.lower()`` finds.
- `may_link_files` looks for link syntax on the text as it is: it must say what `links` does.

Checked on every text file of the corpus's skills and on generated names and texts (upper
case, non-ASCII letters, the two letters that lower to ASCII, undecodable bytes).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from skillkit.lint.rules._graph import _Names
from skillkit.loader import load_skill
from skillkit.markdown import _local_marks, _normalised, links, may_link_files
from skillkit.model import Skill, SkillFile


def _named_in_slowly(names: _Names, text: str, source_dir: str, wanted: set[str]) -> set[str]:
    """Every name of every wanted file and folder, looked for in the lowered text."""
    lowered = text.lower()
    base = source_dir.lower() + "/" if source_dir else ""
    found: set[str] = set()
    for relpath in wanted:
        low = relpath.lower()
        needles = [posixpath.basename(low), low]
        if base and low.startswith(base):
            needles.append(low[len(base) :])
        if any(names._named(n, lowered) for n in needles):
            found.add(relpath)
    for folder in names.folders:
        inner = [r for r in names.files if r.startswith(folder + "/") and r in wanted]
        low = folder.lower() + "/"
        needles = [low]
        if base and low.startswith(base) and low != base:
            needles.append(low[len(base) :])
        if inner and any(names._named(n, lowered) for n in needles):
            found.update(inner)
    return found


def _skill(relpaths: list[str]) -> Skill:
    files = tuple(SkillFile(Path(r), r, 0, "other") for r in sorted(set(relpaths)))
    return Skill(root=Path("."), skill_md=Path("SKILL.md"), files=files)


def _skill_dirs(corpus: Path) -> list[Path]:
    return sorted(p.parent for p in (corpus / "skills").rglob("SKILL.md"))


def test_names_found_as_by_every_name_in_corpus_texts(corpus: Path) -> None:
    checked = 0
    for root in _skill_dirs(corpus):
        skill = load_skill(root)
        names = _Names(skill)
        wanted = set(names.files)
        sources = [("", skill.raw.removeprefix(b"\xef\xbb\xbf"), skill.text)]
        for f in skill.files:
            data = f.read_bytes()
            if len(data) < 1 << 20 and b"\0" not in data:
                text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
                sources.append((posixpath.dirname(f.relpath), data, text))
        for source_dir, data, text in sources:
            slow = _named_in_slowly(names, text, source_dir, wanted)
            assert names.named_in(text, source_dir, wanted, data) == slow, (root, source_dir)
            assert names.named_in(text, source_dir, wanted) == slow, (root, source_dir)
            checked += bool(slow)
    assert checked > 100  # texts that do name files: the comparison is not vacuous


def _may_link_slowly(text: str) -> bool:
    # what `links` looks at before it parses: the syntax of the normalised text
    return bool(_local_marks(_normalised(text)))


def test_may_link_files_agrees_with_links_on_corpus_markdown(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*.md") if p.is_file())
    assert len(files) > 100
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        assert may_link_files(text) == _may_link_slowly(text), path
        assert may_link_files(text) or not links(text), path


# -- generated names and texts -----------------------------------------------------------------

#: Letters that lower differently: upper case, non-ASCII, and U+0130 and U+212A, the only two
#: that lower to ASCII ("i̇", "k"), and U+017F, a long s that lowers to itself.
_LETTERS = ["a", "k", "i", "K", "I", "é", "É", "\u0130", "\u212a", "ß", "s", "S", "\u017f"]
_PARTS = st.text(st.sampled_from([*_LETTERS, "-", "_", "."]), min_size=1, max_size=4)
_RELPATHS = st.lists(
    st.lists(_PARTS, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".md"),
    min_size=1, max_size=5,
)  # fmt: skip
#: Stands for a byte that is not UTF-8 (the text holds U+FFFD there).
_BAD = "\x7f\x7f"
#: What stands around a name in a text: word characters (a name inside a word names nothing),
#: path separators, punctuation, line ends, undecodable bytes.
_AROUND = ["", " ", "x", "_", ".", "/", "-", "`", "(", "\n", ".py", "é", "\u212a", _BAD]


@st.composite
def _named_text(draw: st.DrawFn) -> tuple[list[str], str, bytes]:
    relpaths = draw(_RELPATHS)
    pieces = []
    for _ in range(draw(st.integers(0, 6))):
        relpath = draw(st.sampled_from(relpaths))
        parts = relpath.split("/")
        name = "/".join(parts[draw(st.integers(0, len(parts) - 1)) :])
        if draw(st.booleans()):
            name = name.rsplit("/", 1)[0] + "/" if "/" in name else name
        case = draw(st.sampled_from([str, str.upper, str.lower, str.swapcase]))
        pieces += [draw(st.sampled_from(_AROUND)), case(name), draw(st.sampled_from(_AROUND))]
    data = "".join(pieces).encode().replace(_BAD.encode(), b"\xff")
    return relpaths, data.decode("utf-8", errors="replace"), data


# Derandomised and without shrinking, as the other property tests: CI runs the same texts
# every time; to explore, drop derandomize and raise max_examples locally.
@settings(
    max_examples=500, deadline=None, derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(_named_text(), st.integers(0, 2))
def test_names_found_as_by_every_name_in_generated_texts(
    case: tuple[list[str], str, bytes], depth: int
) -> None:
    relpaths, text, data = case
    names = _Names(_skill(relpaths))
    source_dir = posixpath.dirname(relpaths[0])
    source_dir = "/".join(source_dir.split("/")[:depth]) if source_dir else ""
    wanted = set(names.files)
    slow = _named_in_slowly(names, text, source_dir, wanted)
    assert names.named_in(text, source_dir, wanted, data) == slow
    assert names.named_in(text, source_dir, wanted) == slow


_SYNTAX = ["](", "]:", "[a](", "[r]: ", "src=", "href =", "SRC\n=", "> =", "src\n> =", "=", "#",
           "https://x", "file:a", "//h", "a.md", " ", "\t", "\n", "\r\n", "\r", "\x00", "<",
           "&#35;", "\\", "\u017frc=", "K", "C:", "](\r", "]:\r\n", "=\r"]  # fmt: skip


@settings(
    max_examples=1000, deadline=None, derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(st.lists(st.sampled_from(_SYNTAX), max_size=12).map("".join))
def test_may_link_files_agrees_with_links_on_generated_text(text: str) -> None:
    assert may_link_files(text) == _may_link_slowly(text)
    assert may_link_files(text) or not links(text, "markdown-it-py")
