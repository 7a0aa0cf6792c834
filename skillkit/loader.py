"""Find skill folders and load each into a `Skill`, reading every byte at most once.

The loader never raises for bad input: whatever it cannot read becomes a `Problem` on the skill
(or on the `LoadResult` for paths that are not skills at all), which the lint rules report.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from skillkit.fsutil import file_message, missing_message
from skillkit.model import FileCategory, Problem, Skill, SkillFile

SKILL_FILE = "SKILL.md"
_SKILL_FILE_LOWER = SKILL_FILE.lower()
#: Folders never searched for skills, whatever the configuration says.
ALWAYS_EXCLUDED = (
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox", ".skillkit_cache"
)
#: Names never read as part of a skill: the folders above and OS litter. The lint and token
#: caches stamp folders with this same list, so a skipped file never makes a result stale.
NEVER_READ = frozenset({*ALWAYS_EXCLUDED, ".DS_Store"})
#: SKILL.md files larger than this are reported, not parsed (the budget is ~5,000 tokens).
DEFAULT_MAX_SKILL_MD_BYTES = 1 << 20
_CATEGORIES: dict[str, FileCategory] = {
    "references": "references",
    "reference": "references",
    "scripts": "scripts",
    "assets": "assets",
}


@dataclass
class LoadResult:
    skills: list[Skill] = field(default_factory=list)
    #: problems with the given paths themselves (missing path, no skill found, ...).
    problems: list[Problem] = field(default_factory=list)


def _exclude_spec(root: Path, exclude: Sequence[str]) -> pathspec.PathSpec[Any]:
    patterns = list(exclude)
    gitignore = root / ".gitignore"
    if gitignore.is_file():
        with contextlib.suppress(OSError):
            patterns.extend(gitignore.read_text(encoding="utf-8", errors="replace").splitlines())
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def discover_skills(paths: Iterable[Path], exclude: Sequence[str] = ()) -> LoadResult:
    """Find every folder holding a SKILL.md under `paths` (a SKILL.md path names its folder).

    Returns a `LoadResult` whose skills are not loaded yet (only `root` and `skill_md` set);
    `load_skills` does both steps.
    """
    result = LoadResult()
    seen: set[str] = set()
    given_paths = list(paths)
    # One walk without following symlinks never meets a folder twice: only several given
    # paths can overlap, so only they pay a realpath per skill.
    dedupe = len(given_paths) > 1
    for given in given_paths:
        path = Path(given)
        if not path.exists():
            result.problems.append(Problem("missing-path", missing_message(path), path))
            continue
        if path.is_file():
            if path.name.lower() != _SKILL_FILE_LOWER:  # a mis-cased one is reported (SK012)
                result.problems.append(
                    Problem("not-a-skill", f"{file_message(path)} (nor a SKILL.md)", path)
                )
                continue
            roots = [path.parent]
        else:
            roots = list(_walk_for_skills(path, _exclude_spec(path, exclude)))
            if not roots:
                result.problems.append(
                    Problem(
                        "no-skills",
                        f"no skills found under {path} (a skill is a folder holding {SKILL_FILE})",
                        path,
                    )
                )
        for root in roots:
            if dedupe:
                key = os.path.realpath(root)
                if key in seen:
                    continue
                seen.add(key)
            result.skills.append(Skill(root=root, skill_md=root / SKILL_FILE))
    result.skills.sort(key=lambda s: str(s.root))
    return result


def _walk_for_skills(top: Path, spec: pathspec.PathSpec[Any]) -> Iterable[Path]:
    """Folders holding a SKILL.md, in ``os.walk`` order (top-down, sorted, no symlinked
    folders entered). A warm lint is mostly this walk: it tracks relative paths itself and
    asks `spec` nothing when it has no patterns."""
    match = spec.match_file if spec.patterns else None
    base = os.fspath(top)
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = os.path.join(base, rel) if rel else base
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        dirs: list[tuple[str, bool]] = []
        has_skill = False
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if entry.name == SKILL_FILE or entry.name.lower() == _SKILL_FILE_LOWER:
                # A folder named SKILL.md, or a mis-cased skill.md, is a broken skill, reported
                # as one: never skipped in silence.
                has_skill = True
            elif is_dir:
                dirs.append((entry.name, entry.is_symlink()))
        kept = []
        for d, is_link in sorted(dirs):
            relpath = f"{rel}/{d}" if rel else d
            if d in ALWAYS_EXCLUDED or (match is not None and match(relpath + "/")):
                continue
            if not is_link:
                kept.append(relpath)
        if has_skill:
            relfile = f"{rel}/{SKILL_FILE}" if rel else SKILL_FILE
            if match is None or not match(relfile):
                yield Path(folder)
        stack.extend(reversed(kept))


def load_skill(root: Path, *, max_file_size: int = DEFAULT_MAX_SKILL_MD_BYTES) -> Skill:
    """Load one skill folder. Never raises for bad content."""
    skill = Skill(root=root, skill_md=root / SKILL_FILE)
    problems: list[Problem] = []
    path = skill.skill_md
    try:
        size = path.stat().st_size
        if size > max_file_size:
            problems.append(
                Problem(
                    "too-large",
                    f"SKILL.md is {size:,} bytes, over the {max_file_size:,}-byte limit; "
                    "move material to references/",
                    path,
                )
            )
            raw = None
        else:
            raw = path.read_bytes()
    except FileNotFoundError as exc:
        if _misnamed(root) is None:  # else the file listing reports the name
            problems.append(Problem("unreadable", f"cannot read SKILL.md: {exc.strerror}", path))
        raw = None
    except OSError as exc:
        problems.append(Problem("unreadable", f"cannot read SKILL.md: {exc.strerror}", path))
        raw = None
    if raw is not None:
        from skillkit import frontmatter  # PyYAML: only when a SKILL.md is read

        skill.raw = raw
        problems.extend(_decode(skill))
        parts = frontmatter.split(skill.text, path)
        skill.frontmatter = parts.frontmatter
        skill.body = parts.body
        skill.body_line = parts.body_line
        skill.body_offset = parts.body_offset
        problems.extend(parts.problems)
    files, file_problems = _bundled_files(root)
    skill.files = files
    problems.extend(file_problems)
    skill.problems = tuple(problems)
    return skill


def _misnamed(root: Path) -> Path | None:
    """The mis-cased skill file (``skill.md``, ``Skill.md``...) of a folder without SKILL.md."""
    try:
        names = os.listdir(root)
    except OSError:
        return None
    found = [n for n in names if n.lower() == _SKILL_FILE_LOWER and n != SKILL_FILE]
    return root / found[0] if found and SKILL_FILE not in names else None


def _misnamed_problem(path: Path) -> Problem:
    return Problem(
        "misnamed-skill-file",
        f"the skill file is named {path.name!r}, not {SKILL_FILE!r}: agents look for "
        f"{SKILL_FILE!r} exactly, and on a case-sensitive file system never find this skill",
        path,
    )


def _decode(skill: Skill) -> list[Problem]:
    raw = skill.raw
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        skill.has_bom = True
        raw = raw[3:]
        problems.append(
            Problem("bom", "SKILL.md starts with a UTF-8 byte order mark", skill.skill_md)
        )
    try:
        skill.text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problems.append(
            Problem(
                "encoding",
                f"SKILL.md is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                skill.skill_md,
                line,
                column,
            )
        )
        skill.text = raw.decode("utf-8", errors="replace")
    return problems


def _bundled_files(root: Path) -> tuple[tuple[SkillFile, ...], list[Problem]]:
    """Every file below `root` except SKILL.md itself and nested skills' folders.

    Symlinks are followed only when they stay inside the skill folder: a skill is copied and
    archived as a unit, so anything it points to outside would silently go missing (or leak).
    """
    files: list[SkillFile] = []
    problems: list[Problem] = []
    try:
        real_root = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return (), problems
    # Strings, not Paths, until a file is kept: path arithmetic was most of loading a skill.
    stack: list[tuple[str, str]] = [(os.fspath(root), "")]
    while stack:
        current, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Problem("unreadable", f"cannot list folder: {exc.strerror}", Path(current))
            )
            continue
        for entry in entries:
            name = entry.name
            if name in NEVER_READ:
                continue
            if not prefix and name.lower() == _SKILL_FILE_LOWER:
                if name != SKILL_FILE and not any(e.name == SKILL_FILE for e in entries):
                    problems.append(_misnamed_problem(Path(entry.path)))
                continue
            rel = prefix + name
            if entry.is_symlink():
                path = Path(entry.path)
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(
                        Problem(
                            "symlink-loop",
                            f"symlink {rel} is broken or loops",
                            path,
                        )
                    )
                    continue
                if not target.is_relative_to(real_root):
                    problems.append(
                        Problem(
                            "path-escape",
                            f"symlink {rel} points outside the skill folder (to {target})",
                            path,
                        )
                    )
                    continue
                if target.is_dir():
                    continue  # its content is reached through its real path
            try:
                if entry.is_dir():
                    if Path(entry.path, SKILL_FILE).is_file():  # may raise, as stat does
                        continue  # a nested skill: loaded on its own
                    stack.append((entry.path, rel + "/"))
                    continue
                st = entry.stat()
            except OSError as exc:
                problems.append(
                    Problem("unreadable", f"cannot read {rel}: {exc.strerror}", Path(entry.path))
                )
                continue
            if not stat.S_ISREG(st.st_mode):
                # A named pipe, socket or device: reading it would block or never end.
                problems.append(
                    Problem(
                        "unreadable",
                        f"{rel} is not a regular file (a named pipe, socket or device); "
                        "a skill bundles regular files only",
                        Path(entry.path),
                    )
                )
                continue
            size = st.st_size
            top = prefix[: prefix.find("/")] if prefix else ""
            files.append(SkillFile(Path(entry.path), rel, size, _CATEGORIES.get(top, "other")))
    files.sort(key=lambda f: f.relpath)
    return tuple(files), problems


def load_skills(
    paths: Iterable[Path],
    *,
    exclude: Sequence[str] = (),
    max_file_size: int = DEFAULT_MAX_SKILL_MD_BYTES,
) -> LoadResult:
    """Discover and load every skill under `paths`."""
    found = discover_skills(paths, exclude)
    found.skills = [load_skill(s.root, max_file_size=max_file_size) for s in found.skills]
    return found
