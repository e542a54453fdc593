"""Value for money: spend against outcome for one service, the outcome expected given need, the
efficiency frontier, and what good looks like for one place, as a range across specifications.

The work is split by concern; this module gathers the public names so callers import one place:

* :mod:`~dashboard.analysis.vfm_pairs`: vfm.yaml's settings and curated spend/outcome pairs,
  and what a page can offer at a level;
* :mod:`~dashboard.analysis.vfm_fit`: the values of the places compared and the outcome expected
  given need (least squares);
* :mod:`~dashboard.analysis.vfm_frontier`: the efficiency frontier (DEA, variable or constant
  returns to scale, scale efficiency);
* :mod:`~dashboard.analysis.vfm_range`: the gap as a range across specifications, each one's fit,
  and the verdict on the strength of the evidence;
* :mod:`~dashboard.analysis.vfm_text`: what good looks like in words, the scores table.

Spend is net current expenditure per head (£ per head, cash). Settings live in
data/catalogue/vfm.yaml.
"""

from __future__ import annotations

from dashboard.analysis.vfm_fit import (
    QUADRANTS,
    Frame,
    NeedFit,
    Regression,
    better_sign,
    complete,
    frame,
    need_fit,
    ols,
    quadrant,
)
from dashboard.analysis.vfm_frontier import Frontier, frontier, peer_table
from dashboard.analysis.vfm_pairs import (
    FILE,
    Options,
    Pair,
    VfmSettings,
    default_needs,
    need_defaults,
    need_options,
    offered_pairs,
    options,
    outcome_options,
    pairs,
    pick_needs,
    service_options,
    spend_options,
    vfm_settings,
)
from dashboard.analysis.vfm_range import (
    GapRange,
    Spec,
    SpecResult,
    Verdict,
    VerdictSettings,
    gap_range,
    need_fit_of_spend,
    several_outcomes,
    spec_frontier,
    spec_result,
    specifications,
    verdict,
    verdict_settings,
)
from dashboard.analysis.vfm_text import (
    CAVEAT,
    DEA_CAVEAT,
    Good,
    good_sentences,
    outcome_text,
    periods_text,
    scores_table,
    selected_places,
    top_share_text,
    what_good_looks_like,
)

__all__ = [
    "CAVEAT",
    "DEA_CAVEAT",
    "FILE",
    "QUADRANTS",
    "Frame",
    "Frontier",
    "GapRange",
    "Good",
    "NeedFit",
    "Options",
    "Pair",
    "Regression",
    "Spec",
    "SpecResult",
    "Verdict",
    "VerdictSettings",
    "VfmSettings",
    "better_sign",
    "complete",
    "default_needs",
    "frame",
    "frontier",
    "gap_range",
    "good_sentences",
    "need_defaults",
    "need_fit",
    "need_fit_of_spend",
    "need_options",
    "offered_pairs",
    "ols",
    "options",
    "outcome_options",
    "outcome_text",
    "pairs",
    "peer_table",
    "periods_text",
    "pick_needs",
    "quadrant",
    "scores_table",
    "selected_places",
    "service_options",
    "several_outcomes",
    "spec_frontier",
    "spec_result",
    "specifications",
    "spend_options",
    "top_share_text",
    "verdict",
    "verdict_settings",
    "vfm_settings",
    "what_good_looks_like",
]
