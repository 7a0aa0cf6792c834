"""Render a `Report` or a `Comparison` as a table, JSON or CSV (looked up by name)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from skillkit.tokens.compare import Change, Comparison, percent
from skillkit.tokens.measure import Report, Row

SCHEMA_VERSION = 1
FORMATS = ("table", "json", "csv")
CATALOG_LABEL = "(catalog)"


def _n(value: int) -> str:
    return f"{value:,}"


def _signed(value: int) -> str:
    return f"{value:+,}"


def _pct(before: int, after: int, status: str = "") -> str:
    if status == "added":
        return "new"
    value = percent(before, after)
    return "new" if value is None else f"{value:+.1f}%"


def _grid(
    header: Sequence[str], rows: Sequence[Sequence[str]], footer: Sequence[str] | None = None
) -> str:
    """Left-aligned first column, right-aligned numbers, a rule above the footer (if any)."""
    every = (header, *rows, *([footer] if footer else []))
    widths = [max(len(r[i]) for r in every) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    lines = [line(header), *(line(r) for r in rows)]
    if footer:
        lines += ["  ".join("-" * w for w in widths), line(footer)]
    return "\n".join(lines) + "\n"


# -- a single measurement -------------------------------------------------------------------


def report_table(report: Report, rows: Sequence[Row]) -> str:
    # L3 sums every bundled file of the skill; "files" says how many.
    header = ("skill", "L1", "L2", "L3", "files", "total")
    body = [
        (r.name, _n(r.footprint.l1), _n(r.footprint.l2), _n(r.footprint.l3_total),
         _n(len(r.footprint.l3)), _n(r.footprint.total))
        for r in rows
    ]  # fmt: skip
    footer = (
        f"catalog ({len(rows)} skill{'s' if len(rows) != 1 else ''})",
        _n(report.catalog_l1),
        _n(report.l2_total),
        _n(report.l3_total),
        _n(report.file_count),
        _n(_all_levels(report)),
    )
    note = (
        f"Tokens ({report.encoding}). L1: the skill's entry in <available_skills>;\n"
        "the catalog's L1 is the whole block, paid by every conversation.\n"
        "L2: the whole SKILL.md, paid when the skill is used.\n"
        "L3: bundled files, read on demand (binary files are not counted).\n"
        "total: L1 + L2 + L3.\n"
    )
    return _grid(header, body, footer) + "\n" + note


def _row_json(row: Row) -> dict[str, Any]:
    fp = row.footprint
    return {
        "name": fp.name,
        "path": row.path,
        "l1": fp.l1,
        "l2": fp.l2,
        "l3": fp.l3_total,
        "total": fp.total,
        "files": [{"path": f.relpath, "size": f.size, "tokens": f.tokens} for f in fp.l3],
    }


def _catalog_json(report: Report) -> dict[str, Any]:
    return {
        "skills": len(report.rows),
        "l1": report.catalog_l1,
        "l2": report.l2_total,
        "l3": report.l3_total,
        "files": report.file_count,
    }


def report_json(report: Report, rows: Sequence[Row]) -> str:
    payload = {
        "schema_version": SCHEMA_VERSION,
        "encoding": report.encoding,
        "skills": [_row_json(r) for r in rows],
        "catalog": _catalog_json(report),
    }
    return json.dumps(payload, indent=2) + "\n"


def report_csv(report: Report, rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["skill", "path", "l1", "l2", "l3", "files", "total"])
    for r in rows:
        fp = r.footprint
        writer.writerow([fp.name, r.path, fp.l1, fp.l2, fp.l3_total, len(fp.l3), fp.total])
    total = _all_levels(report)
    writer.writerow(
        [CATALOG_LABEL, "", report.catalog_l1, report.l2_total, report.l3_total,
         report.file_count, total]
    )  # fmt: skip
    return out.getvalue()


REPORT_FORMATS: dict[str, Callable[[Report, Sequence[Row]], str]] = {
    "table": report_table,
    "json": report_json,
    "csv": report_csv,
}


# -- a comparison ---------------------------------------------------------------------------


def _level_totals(cmp: Comparison) -> list[tuple[str, int, int]]:
    b, a = cmp.before, cmp.after
    return [
        ("catalog L1", b.catalog_l1, a.catalog_l1),
        ("L2 total", b.l2_total, a.l2_total),
        ("L3 total", b.l3_total, a.l3_total),
    ]


def _all_levels(report: Report) -> int:
    return report.catalog_l1 + report.l2_total + report.l3_total


def compare_table(cmp: Comparison, changes: Sequence[Change]) -> str:
    header = ("skill", "status", "before", "after", "delta", "%")
    body = [
        (
            c.name,
            c.status,
            _n(c.before_total) if c.before else "-",
            _n(c.after_total) if c.after else "-",
            _signed(c.delta),
            _pct(c.before_total, c.after_total, c.status),
        )
        for c in changes
    ]
    b, a = _all_levels(cmp.before), _all_levels(cmp.after)
    footer = ("total", "", _n(b), _n(a), _signed(a - b), _pct(b, a))
    levels = [
        (label, _n(before), _n(after), _signed(after - before), _pct(before, after))
        for label, before, after in _level_totals(cmp)
    ]
    summary = ", ".join(f"{cmp.count(s)} {s}" for s in ("changed", "added", "removed", "unchanged"))
    grid = _grid(header, body, footer)
    level_grid = _grid(("level", "before", "after", "delta", "%"), levels)
    return (
        f"Tokens ({cmp.after.encoding}). Before: {cmp.label}. After: {cmp.after_label}.\n"
        f"Per skill: L1 + L2 + L3.\n\n{grid}\n{level_grid}\n{summary}\n"
    )


def _fp_json(fp: Any) -> dict[str, int] | None:
    if fp is None:
        return None
    return {"l1": fp.l1, "l2": fp.l2, "l3": fp.l3_total, "total": fp.total}


def compare_json(cmp: Comparison, changes: Sequence[Change]) -> str:
    payload = {
        "schema_version": SCHEMA_VERSION,
        "encoding": cmp.after.encoding,
        "before": cmp.label,
        "after": cmp.after_label,
        "skills": [
            {
                "name": c.name,
                "status": c.status,
                "before": _fp_json(c.before),
                "after": _fp_json(c.after),
                "delta": {
                    "l1": c.level_delta("l1"),
                    "l2": c.level_delta("l2"),
                    "l3": c.level_delta("l3"),
                    "total": c.delta,
                },
                "percent": percent(c.before_total, c.after_total) if c.before else None,
            }
            for c in changes
        ],
        "catalog": {
            "before": _catalog_json(cmp.before),
            "after": _catalog_json(cmp.after),
            "counts": {s: cmp.count(s) for s in ("added", "removed", "changed", "unchanged")},
        },
    }
    return json.dumps(payload, indent=2) + "\n"


def compare_csv(cmp: Comparison, changes: Sequence[Change]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["skill", "status", "before", "after", "delta", "percent"])
    for c in changes:
        pct = percent(c.before_total, c.after_total) if c.before else None
        writer.writerow(
            [c.name, c.status, c.before_total if c.before else "",
             c.after_total if c.after else "", c.delta, "" if pct is None else f"{pct:.1f}"]
        )  # fmt: skip
    b, a = _all_levels(cmp.before), _all_levels(cmp.after)
    pct = percent(b, a)
    writer.writerow([CATALOG_LABEL, "", b, a, a - b, "" if pct is None else f"{pct:.1f}"])
    return out.getvalue()


COMPARE_FORMATS: dict[str, Callable[[Comparison, Sequence[Change]], str]] = {
    "table": compare_table,
    "json": compare_json,
    "csv": compare_csv,
}
