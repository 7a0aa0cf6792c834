"""A small, fast BM25 ranker over skills: name, description, tags and body, with field boosts.

Pure Python with compact arrays: postings are ``array('i')`` of document numbers beside
``array('f')`` of precomputed BM25 term weights, so a 10,000-skill catalog with bodies stays
in tens of megabytes and a query costs one pass over each query term's postings.

Scoring is BM25F-style: each field's term frequency and length are multiplied by the field's
boost and summed before the usual BM25 saturation, so a word in the name counts more than the
same word deep in the body, and long bodies do not drown short descriptions.
"""

from __future__ import annotations

import heapq
import math
import operator
import re
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

#: how much one occurrence in each field counts.
FIELD_BOOSTS: Mapping[str, float] = {"name": 4.0, "tags": 3.0, "description": 2.5, "body": 1.0}
K1 = 1.2
B = 0.75

_WORD = re.compile(r"[a-z0-9]+")
# Words so common in skill text that matching them says nothing about relevance.
_STOP_WORDS = (
    "a an and are as at be but by can do for from how i if in into is it its of on or so "
    "that the their then there these this to use used uses using was what when which "
    "while will with you your"
)
_STOP = frozenset(_STOP_WORDS.split())


def _stem(word: str) -> str:
    # A deliberately light stemmer: plural and common verb endings, so "buckets" finds
    # "bucket" and "uploading" finds "upload", without an external dependency.
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: word -> its stem ("" for a stop word). Indexing a catalog stems millions of words from a
#: vocabulary of thousands: looking each up once is several times faster than stemming it.
_STEMS: dict[str, str] = {word: "" for word in _STOP}
#: past this many entries (a flood of distinct words in queries) the memo starts over.
_MAX_STEMS = 500_000


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed words of `text`; hyphenated names split into their parts."""
    stems = _STEMS
    if len(stems) > _MAX_STEMS:
        stems.clear()
        stems.update((word, "") for word in _STOP)
    out = []
    for word in _WORD.findall(text.lower()):
        stem = stems.get(word)
        if stem is None:
            stem = stems[word] = _stem(word)
        if stem:
            out.append(stem)
    return out


@dataclass(frozen=True)
class Document:
    """What is searchable about one skill version."""

    key: str
    name: str
    description: str
    tags: Sequence[str]
    body: str = ""


@dataclass(frozen=True)
class Hit:
    key: str
    score: float


#: a term found in at least this share of documents is stored as a dense score vector, so a
#: query adds whole vectors at C speed instead of looping over long postings in Python.
DENSE_SHARE = 1 / 16


class SearchBuilder:
    """Adds documents one at a time (cheap to interleave with serving), then `finish`es.

    Memory stays proportional to the postings: raw term frequencies go straight into
    per-term arrays, never into per-document dictionaries kept until the end.
    """

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.tags: list[frozenset[str]] = []
        self.lengths: array[float] = array("f")
        self.raw: dict[str, tuple[array[int], array[float]]] = {}
        self.with_bodies = False

    def add(self, doc: Document) -> None:
        number = len(self.keys)
        tf: dict[str, float] = {}
        length = 0.0
        for fname, text in (
            ("name", doc.name.replace("-", " ")),
            ("tags", " ".join(doc.tags)),
            ("description", doc.description),
            ("body", doc.body),
        ):
            if not text:
                continue
            boost = FIELD_BOOSTS[fname]
            words = tokenize(text)
            length += boost * len(words)
            for word, count in Counter(words).items():
                tf[word] = tf.get(word, 0.0) + boost * count
        raw = self.raw
        for word, freq in tf.items():
            entry = raw.get(word)
            if entry is None:
                entry = raw[word] = (array("i"), array("f"))
            entry[0].append(number)
            entry[1].append(freq)
        self.keys.append(doc.key)
        self.tags.append(frozenset(t.lower() for t in doc.tags))
        self.lengths.append(length)
        self.with_bodies = self.with_bodies or bool(doc.body)

    def finish_steps(self, step: int = 5000) -> Iterator[SearchIndex | None]:
        """Turn raw frequencies into BM25 weights; yields None after about `step` postings (a
        chance for the caller to serve requests), and the finished `SearchIndex` last."""
        n = len(self.keys)
        avgdl = (sum(self.lengths) / n) if n else 1.0
        norms = array(
            "f",
            (K1 * (1.0 - B + B * (length / avgdl if avgdl else 0.0)) for length in self.lengths),
        )
        dense_from = max(2, int(n * DENSE_SHARE))
        sparse: dict[str, tuple[array[int], array[float]]] = {}
        dense: dict[str, array[float]] = {}
        done = 0
        for word, (ids, freqs) in list(self.raw.items()):
            df = len(ids)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            weights = array(
                "f",
                (idf * f * (K1 + 1.0) / (f + norms[d]) for d, f in zip(ids, freqs, strict=True)),
            )
            if df >= dense_from:
                vector = array("f", bytes(4 * n))
                for d, w in zip(ids, weights, strict=True):
                    vector[d] = w
                dense[word] = vector
            else:
                sparse[word] = (ids, weights)
            del self.raw[word]
            done += df
            if done >= step:
                done = 0
                yield None
        yield SearchIndex(
            keys=self.keys,
            tags=self.tags,
            postings=sparse,
            dense=dense,
            with_bodies=self.with_bodies,
        )

    def finish(self) -> SearchIndex:
        last = deque(self.finish_steps(), maxlen=1)[0]
        assert last is not None
        return last


@dataclass
class SearchIndex:
    """An immutable inverted index; build with `SearchIndex.build` or a `SearchBuilder`.

    Weights are final BM25 contributions (idf included), so a score is a plain sum.
    """

    keys: list[str] = field(default_factory=list)
    #: lower-cased tags per document, for the tag filter.
    tags: list[frozenset[str]] = field(default_factory=list)
    postings: dict[str, tuple[array[int], array[float]]] = field(default_factory=dict)
    dense: dict[str, array[float]] = field(default_factory=dict)
    with_bodies: bool = False

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        builder = SearchBuilder()
        for doc in documents:
            builder.add(doc)
        return builder.finish()

    def __len__(self) -> int:
        return len(self.keys)

    def search(self, query: str, limit: int = 10, tags: Sequence[str] | None = None) -> list[Hit]:
        """The best `limit` documents for `query`, highest score first (ties by key).

        With `tags`, only documents carrying every one of them (case-insensitive) qualify; an
        empty query with tags lists the tagged documents in key order.
        """
        limit = max(limit, 0)
        wanted = frozenset(t.lower() for t in tags or ())
        terms = list(dict.fromkeys(tokenize(query)))
        vectors = [self.dense[t] for t in terms if t in self.dense]
        lists = [self.postings[t] for t in terms if t in self.postings]
        if not terms and wanted:
            ranked = [(0.0, d) for d in range(len(self.keys)) if wanted <= self.tags[d]]
            ranked.sort(key=lambda item: self.keys[item[1]])
            return [Hit(self.keys[d], s) for s, d in ranked[:limit]]
        if vectors:
            # Whole-vector sums run in C; sparse terms are then added where they occur.
            total: list[float] = list(vectors[0])
            for vector in vectors[1:]:
                total = list(map(operator.add, total, vector))
            for ids, weights in lists:
                for d, w in zip(ids, weights, strict=True):
                    total[d] += w
            if wanted:
                candidates = [(total[d], d) for d in range(len(total)) if wanted <= self.tags[d]]
            else:
                # The limit-th best score bounds the candidates (ties at it all kept).
                floor = min(heapq.nlargest(limit, total)) if limit else math.inf
                candidates = [(s, d) for d, s in enumerate(total) if s >= floor]
        else:
            scores: dict[int, float] = {}
            for ids, weights in lists:
                get = scores.get
                for d, w in zip(ids, weights, strict=True):
                    scores[d] = get(d, 0.0) + w
            candidates = [(s, d) for d, s in scores.items() if not wanted or wanted <= self.tags[d]]
        candidates = [(s, d) for s, d in candidates if s > 0.0]
        best = heapq.nsmallest(limit, candidates, key=lambda item: (-item[0], self.keys[item[1]]))
        return [Hit(self.keys[d], s) for s, d in best]
