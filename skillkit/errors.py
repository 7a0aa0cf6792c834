"""Exceptions for real failures (bad config, unusable input, I/O): the CLI exits 2 on them."""

from __future__ import annotations


class SkillkitError(Exception):
    """A failure the user can fix; its message says what is wrong and how to fix it."""


class ConfigError(SkillkitError):
    """The configuration is invalid; the message lists every problem found."""
