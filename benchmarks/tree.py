"""Build the 1,000-skill benchmark tree by replicating the corpus skills (shared by benchmarks).

Each copy gets its own folder and a matching ``name`` so that the tree is a valid catalog. The
tree is made at run time under benchmarks/.work/ (git-ignored): no corpus text is committed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
_NAME = re.compile(r"^name:.*$", re.MULTILINE)


def corpus_skills() -> list[Path]:
    corpus = os.environ.get("SKILLKIT_CORPUS") or str(HERE.parent.parent / "shared" / "corpus")
    root = Path(corpus) / "skills"
    if not root.is_dir():
        sys.exit(f"benchmark needs the corpus: set SKILLKIT_CORPUS (tried {root})")
    return sorted(p.parent for p in root.rglob("SKILL.md"))


def build_tree(count: int = 1000, dest: Path | None = None, distinct: bool = False) -> Path:
    """Return a folder holding `count` skills (reused when it already exists).

    With `distinct`, every Markdown file of every copy (not only SKILL.md) ends with a comment
    naming its copy, so that no two files share a content hash: nothing can be reused by
    content inside one run, as in a real catalog of different skills."""
    dest = dest or WORK / (f"tree-distinct-{count}" if distinct else f"tree-{count}")
    marker = dest / ".complete"
    if marker.exists():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    sources = corpus_skills()
    for i in range(count):
        src = sources[i % len(sources)]
        name = f"{src.name[:50]}-{i:04d}"
        target = dest / name
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("skills", "packages"))
        skill_md = target / "SKILL.md"
        text = skill_md.read_text(encoding="utf-8", errors="replace")
        skill_md.write_text(_NAME.sub(f"name: {name}", text, count=1), encoding="utf-8")
        if distinct:
            for md in target.rglob("*.md"):
                if md.is_file() and not md.is_symlink():
                    with md.open("ab") as out:
                        out.write(f"\n<!-- copy {i:05d} -->\n".encode())
    marker.touch()
    return dest


if __name__ == "__main__":
    print(build_tree(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))


def compile_package() -> None:
    """Byte-compile skillkit as a wheel install does, so that CLI timings do not include
    compiling every module again (an editable install under PYTHONDONTWRITEBYTECODE would)."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "skillkit"), quiet=1)
