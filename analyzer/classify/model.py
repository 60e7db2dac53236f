"""Placeholder until the trained classifier lands: rules decide alone."""

from __future__ import annotations


def apply_model(mentions, docs) -> list[str]:
    return []
