"""The library API that GUIDE.md promises resolves to the real functions."""

from __future__ import annotations

import importlib
from pathlib import Path

import skillkit


def test_every_public_name_resolves() -> None:
    for name in skillkit.__all__:
        assert getattr(skillkit, name) is not None, name


def test_lazy_names_are_the_stage_functions() -> None:
    assert skillkit.lint_paths is importlib.import_module("skillkit.lint.linter").lint_paths
    assert skillkit.build_index is importlib.import_module("skillkit.index").build_index
    assert skillkit.load_index is importlib.import_module("skillkit.index").load


def test_lint_is_both_the_stage_package_and_lint_paths(tmp_path: Path) -> None:
    from skillkit import lint

    assert lint is importlib.import_module("skillkit.lint")
    assert skillkit.lint is lint
    result = lint([tmp_path], skillkit.Config(root=tmp_path))
    assert isinstance(result, importlib.import_module("skillkit.lint.linter").LintResult)
