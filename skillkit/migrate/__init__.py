"""Turn legacy Agent SOPs (``*.sop.md``) into composable Agent Skills, losslessly.

Pipeline: :mod:`parser` (SOP text -> :class:`~skillkit.migrate.model.Sop`, with ``SOPnnn``
warnings), :mod:`classify` (global vs on-demand sections), :mod:`split` (step groups),
:mod:`emit` (skill trees in memory), :mod:`check` (lossless check), :mod:`report` (tokens),
:mod:`api` (``plan_migration`` / ``write_plan`` / ``migrate``).
"""

from skillkit.migrate.api import (
    MigrationPlan,
    SopMigration,
    check_written,
    migrate,
    plan_migration,
    write_plan,
)
from skillkit.migrate.codes import CODES

__all__ = [
    "CODES",
    "MigrationPlan",
    "SopMigration",
    "check_written",
    "migrate",
    "plan_migration",
    "write_plan",
]
