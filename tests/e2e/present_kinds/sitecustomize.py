"""Test only: two slide kinds the Present page's browser tests add to the server they start
(this folder goes first on its PYTHONPATH), so a chart slide and a table slide are checked for
fit and accessibility before the real chart kinds exist: the Profile page's spend chart, sized
by present.projector, and a five-row table. Added to the default deck, after its slides."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.profile import profile_table, spend_by_service
from dashboard.charts.profile import spend_chart
from dashboard.present import kinds
from dashboard.present.projector import projector_spec


def _chart(ctx, params, case):  # noqa: ANN001, ANN202
    v, b = ctx.view, ctx.bundle
    table = profile_table(b, v.place, v.level, ctx.group, v.period, ctx.group_text)
    spend = spend_by_service(table)
    name = b.place_name(v.place)
    spec = spend_chart(spend, name, ctx.group_text, "England", v.period, b.attribution)
    return kinds.base_slide(
        ctx,
        "test_chart",
        f"Where {name} spends",
        "Spend per head by service against similar places (a test slide).",
        chart=projector_spec(spec.to_dict(validate=False)),
        alt=f"Spend per head by service in {name} against {ctx.group_text}.",
        caveat="Spend alone does not say whether money is well used.",
    )


def _table(ctx, params, case):  # noqa: ANN001, ANN202
    rows = pd.DataFrame(
        {
            "Partner": ["Council", "NHS", "Police", "DWP", "Others"],
            "Pays (£ a year)": ["£1.2m", "£0.4m", "£0.1m", "£0", "£0"],
            "Gains (£ a year)": ["£0.6m", "£0.9m", "£0.2m", "£0.3m", "£0.1m"],
        }
    )
    return kinds.base_slide(
        ctx,
        "test_table",
        "Who pays and who gains",
        "A test table of five partners, as the co-funding slides will show.",
        table=rows,
        alt="Five partners, what each pays and gains a year.",
    )


kinds.KINDS["test_chart"] = kinds.SlideKind("test_chart", "Test: spend chart", _chart)
kinds.KINDS["test_table"] = kinds.SlideKind("test_table", "Test: table", _table)
kinds.DEFAULT_SLIDES = (*kinds.DEFAULT_SLIDES, "test_chart", "test_table")
