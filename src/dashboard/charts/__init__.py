"""Altair chart builders (pure: DataFrames in, charts out). Importing this enables the theme."""

from dashboard.charts import theme as theme  # noqa: F401  (registers and enables the theme)
