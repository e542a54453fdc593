"""A figure a page shows as ``st.metric``: its label, its value as text and its help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric card: ``label``, the formatted ``value`` and the ``help`` that explains it."""

    label: str
    value: str
    help: str
