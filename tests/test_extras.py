"""Without an extra, the command that needs it stops with one line naming the extra (exit 2),
and the base commands keep working. Each run is a real `skillkit` process in which the
extra's top-level modules cannot be imported, as on a machine without it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from skillkit.extras import DISTRIBUTION, EXTRAS
from tests.serve_support import FIXTURE_SKILLS

REPO = Path(__file__).resolve().parent.parent

_WITHOUT = """
import sys
blocked = set(sys.argv[1].split(","))

class Absent:
    # Like a machine without the package: importing it or asking for its spec fails.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
from skillkit.cli import main
sys.argv = ["skillkit", *sys.argv[2:]]
main()
"""


def skillkit_without(
    modules: tuple[str, ...], *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT, ",".join(modules), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("extra", "args"),
    [
        ("serve", ("serve", "--index", "dist")),
        ("docs", ("docs", "skills", "-o", "site")),
        ("s3", ("verify", "s3://bucket/skills")),
        ("s3", ("install", "x", "--index", "s3://bucket/skills")),
    ],
)
def test_a_missing_extra_is_named(extra: str, args: tuple[str, ...], tmp_path: Path) -> None:
    (tmp_path / "skills").symlink_to(FIXTURE_SKILLS)
    modules, _ = EXTRAS[extra]
    done = skillkit_without(modules, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"skillkit: error: {EXTRAS[extra][1]} needs the [{extra}] extra "
        f"({', '.join(modules)} not installed): pip install '{DISTRIBUTION}[{extra}]'"
    ]


def test_base_commands_need_no_extra(tmp_path: Path) -> None:
    every = tuple(m for modules, _ in EXTRAS.values() for m in modules)
    (tmp_path / "skills").symlink_to(FIXTURE_SKILLS)
    for args in (("lint", "skills"), ("tokens", "skills"), ("build", "skills", "-q")):
        done = skillkit_without(every, *args, cwd=tmp_path)
        assert done.returncode == 0, (args, done.stderr)
    assert (tmp_path / "dist" / "index.json").is_file()
    (tmp_path / "project").mkdir()
    args = ("install", "pdf-form-filler", "--index", "dist", "--dir", "project")
    assert skillkit_without(every, *args, cwd=tmp_path).returncode == 0


def test_pyproject_extras_match() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION
    extras = project["optional-dependencies"]
    # bench: the peer linter the lint benchmark races, for benchmarks only
    assert set(EXTRAS) | {"all", "test", "bench"} == set(extras)
    assert extras["all"] == [f"{DISTRIBUTION}[{','.join(EXTRAS)}]"]
    assert f"{DISTRIBUTION}[all]" in extras["test"]
    base = " ".join(project["dependencies"])
    assert not any(heavy in base for heavy in ("mcp", "boto3", "mkdocs"))
