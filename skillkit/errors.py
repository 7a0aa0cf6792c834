"""Exceptions for real failures (bad configuration, unusable input, I/O): the CLI maps them to exit 2."""

from __future__ import annotations


class SkillkitError(Exception):
    """A failure the user can fix; its message says what is wrong and how to fix it."""


class ConfigError(SkillkitError):
    """The configuration is invalid; the message lists every problem found."""
