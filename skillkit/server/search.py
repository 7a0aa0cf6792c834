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
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
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


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed words of `text`; hyphenated names split into their parts."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


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


@dataclass
class SearchIndex:
    """An immutable inverted index; build with `SearchIndex.build`."""

    keys: list[str] = field(default_factory=list)
    #: lower-cased tags per document, for the tag filter.
    tags: list[frozenset[str]] = field(default_factory=list)
    postings: dict[str, tuple[array[int], array[float]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    with_bodies: bool = False

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        keys: list[str] = []
        tags: list[frozenset[str]] = []
        counts: list[dict[str, float]] = []
        lengths: list[float] = []
        with_bodies = False
        for doc in documents:
            tf: dict[str, float] = {}
            length = 0.0
            fields = (
                ("name", doc.name.replace("-", " ")),
                ("tags", " ".join(doc.tags)),
                ("description", doc.description),
                ("body", doc.body),
            )
            for fname, text in fields:
                boost = FIELD_BOOSTS[fname]
                words = tokenize(text)
                length += boost * len(words)
                for word in words:
                    tf[word] = tf.get(word, 0.0) + boost
            with_bodies = with_bodies or bool(doc.body)
            keys.append(doc.key)
            tags.append(frozenset(t.lower() for t in doc.tags))
            counts.append(tf)
            lengths.append(length)
        n = len(keys)
        avgdl = (sum(lengths) / n) if n else 1.0
        raw: dict[str, tuple[array[int], array[float]]] = {}
        for number, (tf, length) in enumerate(zip(counts, lengths, strict=True)):
            norm = K1 * (1.0 - B + B * (length / avgdl if avgdl else 0.0))
            for word, freq in tf.items():
                entry = raw.get(word)
                if entry is None:
                    entry = raw[word] = (array("i"), array("f"))
                entry[0].append(number)
                entry[1].append(freq * (K1 + 1.0) / (freq + norm))
        idf = {
            word: math.log(1.0 + (n - len(ids) + 0.5) / (len(ids) + 0.5))
            for word, (ids, _) in raw.items()
        }
        return cls(keys=keys, tags=tags, postings=raw, idf=idf, with_bodies=with_bodies)

    def __len__(self) -> int:
        return len(self.keys)

    def search(self, query: str, limit: int = 10, tags: Sequence[str] | None = None) -> list[Hit]:
        """The best `limit` documents for `query`, highest score first (ties by key).

        With `tags`, only documents carrying every one of them (case-insensitive) qualify; an
        empty query with tags lists the tagged documents in key order.
        """
        wanted = frozenset(t.lower() for t in tags or ())
        terms = list(dict.fromkeys(tokenize(query)))
        scores: dict[int, float] = {}
        if terms:
            for term in terms:
                found = self.postings.get(term)
                if found is None:
                    continue
                weight = self.idf[term]
                get = scores.get
                for number, w in zip(found[0], found[1], strict=True):
                    scores[number] = get(number, 0.0) + weight * w
        elif wanted:
            scores = {number: 0.0 for number in range(len(self.keys))}
        if wanted:
            scores = {d: s for d, s in scores.items() if wanted <= self.tags[d]}
        best = heapq.nsmallest(
            max(limit, 0), scores.items(), key=lambda item: (-item[1], self.keys[item[0]])
        )
        return [Hit(self.keys[number], score) for number, score in best]
