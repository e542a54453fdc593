"""The fictional demo bundle: an invented country generated from a fixed seed.

Every assumption (counts of places, base spend per head, elasticities of spend to need, outcome
effect sizes, noise, outlier share, periods) lives in data/catalogue/demo.yaml with a unit and a
note. The steps:

1. geography: an invented coastline; seed points (a dense capital, a few conurbations, rural
   points thinning to the north) cut into Voronoi cells; cells grouped into regions, counties
   (districts merged) and unitaries. Built in a flat kilometre plane (x east, y north) and mapped
   to lon/lat only when writing GeoJSON.
2. latent structure per lower-tier cell: urbanity, deprivation and age (z-scores).
3. population by age band (2020 to the projection horizon) and need/context indicators.
4. spend per head by service: need raises it, with council policy choices, noise and outliers.
5. outcomes: need worsens them, spend improves them with diminishing returns (log spend), plus
   council quality, noise and trends; some with confidence intervals, some suppressed.

``generate_demo(seed)`` is pure (it only reads the YAML catalogues); ``make_demo`` writes it.

Modules: ``config`` (settings, random streams), ``geography`` and ``clusters`` (the invented
country), ``names`` (places), ``geometry`` (GeoJSON and HexJSON), ``world`` (latents,
population, need), ``indicators`` (spend and outcomes), ``values`` (intervals, suppression,
frames) and ``generate`` (the bundle).
"""

from dashboard.demo.config import DEFAULT_SEED, DEMO_CONFIG, load_config
from dashboard.demo.generate import generate_demo, make_demo

__all__ = ["DEFAULT_SEED", "DEMO_CONFIG", "generate_demo", "load_config", "make_demo"]
