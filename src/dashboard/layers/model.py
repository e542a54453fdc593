"""A checked data layer in memory (see format.py for the file format)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.layers.format import DEFINITION_COLUMNS, VALUES_COLUMNS

#: Columns of Layer.values, in order (the values sheet's columns, layers/format.py).
LAYER_VALUE_COLUMNS: tuple[str, ...] = tuple(c.name for c in VALUES_COLUMNS)
#: Columns of Layer.definitions, in order (``levels`` is a tuple of level names).
LAYER_DEFINITION_COLUMNS: tuple[str, ...] = tuple(c.name for c in DEFINITION_COLUMNS)


@dataclass(frozen=True)
class Layer:
    """A layer that passed every check.

    ``values``: LAYER_VALUE_COLUMNS; ``period`` text, ``value``/``lower_ci``/``upper_ci``
    floats in the indicator's unit (NaN when missing: a suppression marker becomes NaN with its
    ``status``), ``status`` "" for an ordinary figure. ``definitions``: the new indicators
    (LAYER_DEFINITION_COLUMNS; ``agency`` "" when none). ``title`` names the layer on screen
    ("Wigan partners' data"); ``filename`` is the file it was read from."""

    title: str
    filename: str
    values: pd.DataFrame
    definitions: pd.DataFrame

    @property
    def new_indicators(self) -> list[str]:
        """Ids the layer defines (not in the catalogue)."""
        return self.definitions["id"].astype(str).tolist()
