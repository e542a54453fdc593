"""Load and validate data/catalogue/interventions.yaml and scenario.yaml into frozen objects.

Every number is a :class:`Param` (the catalogue's one parameter type, with low, central, high,
unit, allowed range, evidence grade and source) with a position in one flat parameter vector,
so a Monte Carlo draw is one row of a ``draws x parameters`` array. :class:`Layout` holds the
index arrays the vectorised model uses. The files are read by :mod:`dashboard.catalogue`; the
types live in :mod:`dashboard.scenario.catalogue_types`, the checks in
:mod:`dashboard.scenario.catalogue_build`; import every name from here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dashboard.catalogue import CATALOGUE_DIR, CatalogueError, read_catalogue_yaml
from dashboard.scenario.catalogue_build import build_catalogue
from dashboard.scenario.catalogue_layout import build_layout
from dashboard.scenario.catalogue_types import (
    COHORT_KINDS,
    COHORT_SHARE_UNITS,
    ILLUSTRATIVE,
    INDICATOR_UNIT_SCALE,
    OUTCOME_BASES,
    PARAM_FIELDS,
    PARAM_UNITS,
    AvoidedCost,
    AvoidedEvent,
    Catalogue,
    CatalogueScenarioError,
    Intervention,
    Layout,
    Limit,
    MonteCarloSettings,
    OutcomeEffect,
    Param,
    Preset,
    ServiceAssumptions,
    UnitCost,
)

__all__ = [
    "COHORT_KINDS",
    "COHORT_SHARE_UNITS",
    "ILLUSTRATIVE",
    "INDICATOR_UNIT_SCALE",
    "OUTCOME_BASES",
    "PARAM_FIELDS",
    "PARAM_UNITS",
    "AvoidedCost",
    "AvoidedEvent",
    "Catalogue",
    "CatalogueScenarioError",
    "Intervention",
    "Layout",
    "Limit",
    "MonteCarloSettings",
    "OutcomeEffect",
    "Param",
    "Preset",
    "ServiceAssumptions",
    "UnitCost",
    "build_catalogue",
    "build_layout",
    "load_catalogue",
    "load_interventions",
]


@cache
def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read and validate interventions.yaml and scenario.yaml (cached; the objects are frozen)."""
    root = Path(directory) if directory is not None else CATALOGUE_DIR
    try:
        scen = read_catalogue_yaml(root / "scenario.yaml")
        ints = read_catalogue_yaml(root / "interventions.yaml")
    except CatalogueError as exc:
        raise CatalogueScenarioError(exc.file, exc.key, exc.reason) from None
    return build_catalogue(scen, ints)


def load_interventions(directory: Path | None = None) -> Catalogue:
    """Alias of :func:`load_catalogue` (the catalogue carries the interventions)."""
    return load_catalogue(directory)
