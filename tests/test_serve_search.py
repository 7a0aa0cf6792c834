"""The search engine and the catalog, through their library API (`skillkit.server`).

BM25 scores are checked against a direct, loop-by-loop BM25F computation written here from
the formula, for both storage paths (sparse postings and dense vectors)."""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path

import pytest

from skillkit.index import load
from skillkit.server import Catalog, Document, NotFound, SearchIndex, SkillUnavailable, tokenize
from skillkit.server.catalog import split_body
from skillkit.server.search import DENSE_SHARE, FIELD_BOOSTS, K1, B
from tests.serve_support import make_catalog


def _reference_scores(docs: list[Document], query: str) -> dict[str, float]:
    fields = lambda d: {  # noqa: E731
        "name": d.name.replace("-", " "),
        "tags": " ".join(d.tags),
        "description": d.description,
        "body": d.body,
    }
    tfs, lengths = [], []
    for doc in docs:
        tf: dict[str, float] = {}
        length = 0.0
        for field, text in fields(doc).items():
            words = tokenize(text)
            length += FIELD_BOOSTS[field] * len(words)
            for word in words:
                tf[word] = tf.get(word, 0.0) + FIELD_BOOSTS[field]
        tfs.append(tf)
        lengths.append(length)
    n = len(docs)
    avgdl = sum(lengths) / n
    scores = {}
    for doc, tf, length in zip(docs, tfs, lengths, strict=True):
        score = 0.0
        for term in set(tokenize(query)):
            if term not in tf:
                continue
            df = sum(1 for other in tfs if term in other)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            f = tf[term]
            score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / avgdl))
        if score > 0:
            scores[doc.key] = score
    return scores


def _corpus(count: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    words = ["bucket", "policy", "lambda", "table", "query", "stream", "deploy", "audit"]
    words += ["report", "chart", "form"]
    docs = []
    for i in range(count):
        body = " ".join(rng.choices(words + ["common"] * 4, k=rng.randint(5, 40)))
        docs.append(
            Document(
                key=f"skill-{i:03d}@1.0.0",
                name=f"skill-{rng.choice(words)}-{i:03d}",
                description=" ".join(rng.choices(words, k=6)),
                tags=rng.sample(words, 2),
                body=body,
            )
        )
    return docs


@pytest.mark.parametrize("query", ["bucket", "bucket policy", "common deploy", "common", "zzz"])
def test_scores_match_a_direct_bm25f_computation(query: str) -> None:
    docs = _corpus(120, seed=len(query))
    index = SearchIndex.build(docs)
    assert "common" in index.dense  # in every body: stored as a dense vector
    assert any(len(ids) < len(docs) * DENSE_SHARE for ids, _ in index.postings.values())
    expected = _reference_scores(docs, query)
    hits = index.search(query, limit=len(docs))
    assert {h.key for h in hits} == set(expected)
    for hit in hits:
        assert hit.score == pytest.approx(expected[hit.key], rel=1e-5)
    ranked = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))
    top = index.search(query, limit=5)
    assert [h.score for h in top] == pytest.approx([s for _, s in ranked[:5]], rel=1e-5)


def test_name_outranks_body_and_stemming_matches() -> None:
    docs = [
        Document("a@1", "invoice-parser", "Reads invoices.", ["finance"], "Nothing else here."),
        Document("b@1", "report-maker", "Makes reports.", ["docs"], "It can also parse invoice."),
        Document("c@1", "other", "Unrelated.", ["misc"], "Completely different text."),
    ]
    index = SearchIndex.build(docs)
    assert [h.key for h in index.search("invoice")] == ["a@1", "b@1"]
    assert index.search("invoices parsing")[0].key == "a@1"
    assert index.search("the and of") == []  # stop words only


def test_tag_filter_and_limit() -> None:
    docs = _corpus(60, seed=3)
    index = SearchIndex.build(docs)
    tagged = index.search("bucket", limit=100, tags=["POLICY"])
    assert tagged and all("policy" in next(d for d in docs if d.key == h.key).tags for h in tagged)
    only_tags = index.search("", limit=100, tags=["policy"])
    assert [h.key for h in only_tags] == sorted(d.key for d in docs if "policy" in d.tags)
    assert len(index.search("bucket", limit=3)) == 3
    assert index.search("bucket", limit=0) == []


def test_split_body() -> None:
    assert split_body("---\nname: x\n---\n# Title\nbody\n") == "# Title\nbody\n"
    assert split_body("no frontmatter") == "no frontmatter"
    assert split_body("---\nname: x\n") == "---\nname: x\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_catalog(tmp_path_factory.mktemp("search"))


def test_catalog_library_api(built: tuple[Path, Path]) -> None:
    skills, dist = built
    catalog = Catalog.open(str(dist))
    assert catalog.names == ["changelog-writer", "pdf-form-filler", "s3-bucket-audit"]
    assert catalog.resolve("changelog-writer").version == "1.0.0"
    pinned = catalog.resolve("changelog-writer", "2.0.0")
    assert pinned.yanked
    assert catalog.files(pinned)["SKILL.md"] == (skills / "changelog-writer/SKILL.md").read_bytes()
    with pytest.raises(NotFound, match=r"no version '3\.0\.0'"):
        catalog.resolve("changelog-writer", "3.0.0")
    assert [e.name for e, _ in catalog.search("bucket public", 1)] == ["s3-bucket-audit"]
    assert not catalog.bodies_indexed
    catalog.index_bodies()
    assert catalog.bodies_indexed and catalog.search_index.with_bodies
    # A word only in a body is found once bodies are indexed.
    assert [e.name for e, _ in catalog.search("imperative mood", 3)] == ["changelog-writer"]
    # Every on-demand file is listed with its L3 tokens from the index.
    entry = catalog.resolve("s3-bucket-audit")
    files = {f.path: f for f in catalog.on_demand_files(entry)}
    assert set(files) == {"references/checklist.md", "scripts/audit.py"}
    assert files["scripts/audit.py"].tokens == entry.tokens.files["scripts/audit.py"]


def test_catalog_refuses_tampered_content(built: tuple[Path, Path], tmp_path: Path) -> None:
    dist = shutil.copytree(built[1], tmp_path / "dist")
    index = load(dist)
    entry = index.skills["pdf-form-filler"].versions[0]
    archive = dist / entry.archive
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")
    events: list[tuple[str, dict[str, object]]] = []
    catalog = Catalog(
        index, log=lambda event, level="info", **fields: events.append((event, fields))
    )
    with pytest.raises(SkillUnavailable, match=r"pdf-form-filler@0\.3\.1 .*sha256"):
        catalog.files(entry)
    with pytest.raises(SkillUnavailable):  # remembered: not re-read, still refused
        catalog.file(entry, "SKILL.md")
    assert [e for e, _ in events] == ["archive_rejected"]
