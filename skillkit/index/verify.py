"""`verify()`: check an index against its schema and every archive against its digests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from skillkit.errors import SkillkitError
from skillkit.extras import MissingExtra
from skillkit.index.load import load
from skillkit.index.model import Index
from skillkit.index.store import S3Options


@dataclass
class VerifyReport:
    location: str
    index: Index | None = None
    #: one line per failure, naming the index or the skill@version and what is wrong.
    failures: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def verify(location: str | os.PathLike[str], *, s3: S3Options | None = None) -> VerifyReport:
    """Never raises for bad content: every problem found is listed in the report."""
    report = VerifyReport(os.fspath(location))
    try:
        index = load(location, s3=s3)
    except MissingExtra:
        raise  # not the index's fault: a setup problem (exit 2)
    except SkillkitError as exc:
        report.failures.append(str(exc))
        return report
    report.index = index
    report.location = index.location or report.location
    for name in sorted(index.skills):
        for entry in index.skills[name].versions:
            report.checked += 1
            try:
                index.read_archive(name, entry.version)
            except SkillkitError as exc:
                report.failures.append(f"{entry.ref}: {exc}")
    return report
