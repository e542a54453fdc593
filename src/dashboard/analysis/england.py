"""England's published value as a comparator for one council.

A rate, share, average or per-head figure of England (the bundle's E92000001 row) is what
"vs England" and the England markers compare a council with. A total of England (£, £ thousand,
a count of people or things) is not: England's 58.6 million residents or its total spend is not
a figure a council could be near, so a total is compared with the median of councils, as where
the source publishes no England value. The total itself stays in the bundle and the download.
"""

from __future__ import annotations

from dashboard.bundle.model import Bundle

#: Units of a place's total (not divided by anything): England's total is no comparator.
TOTAL_UNITS: frozenset[str] = frozenset({"gbp", "gbp_thousands", "count", "persons"})


def england_comparable(unit: str) -> bool:
    """Whether England's published value in ``unit`` can be set beside one council's."""
    return unit not in TOTAL_UNITS


def england_reference(bundle: Bundle, indicator_id: str, period: str, unit: str) -> float | None:
    """England's published value of ``indicator_id`` in ``period`` where it is a comparator for
    a council (see :func:`england_comparable`), else None (then: the median of councils)."""
    if not england_comparable(unit):
        return None
    return bundle.england_value(indicator_id, str(period))
