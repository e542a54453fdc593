"""The Your data page: the layer template, the upload and its checks, and the layers this
session holds (open, share, delete).

An upload is checked in full before anything changes: a layer with problems is shown as a
table of every problem and nothing is stored or loaded; a clean one is stored (private: reached
only by its link), joined to the current dataset's base bundle and opened in this session.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
import streamlit as st

from dashboard.bundle import BundleError
from dashboard.bundle.limits import input_limit
from dashboard.formatting import escape_markdown
from dashboard.layers.check import CheckResult, check_layer
from dashboard.layers.template import template_bytes
from dashboard.store import StoreError
from dashboard.ui.controls import LAYERS
from dashboard.ui.data import (
    SESSION_LAYERS,
    base_dataset,
    dataset_label,
    forget_layer,
    load_bundle,
    open_layer,
    server_datasets,
    store,
)
from dashboard.ui.state import Context, open_place

#: Template downloads: format -> (button label, file name, MIME type).
TEMPLATES = {
    "xlsx": (
        "Template (Excel: values, definitions, read me)",
        "layer-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": ("Template (CSV: values only)", "layer-template.csv", "text/csv"),
}


def max_upload_mb() -> int:
    """The largest upload (MB, limits.yaml upload.max_bytes)."""
    return int(input_limit("upload", "max_bytes") / 1_000_000)


def intro(ctx: Context) -> str:
    """What a layer is and whom it is shown to (markdown)."""
    base = dataset_label(base_dataset(ctx.view.dataset))
    return (
        "Add your own figures to the app: this quarter's numbers, a local survey, or what the "
        "NHS, police, fire, DWP and the voluntary sector spend here. A **data layer** is a "
        "table of values (and, in the Excel template, the definitions of new indicators). It "
        f"joins **{escape_markdown(base)}** as a new dataset that every page reads; newer "
        "local figures for official indicators are shown beside the official ones, never in "
        "their place. A layer is private: only people with its link can open it."
    )


def limits_caption() -> str:
    rows = input_limit("upload", "max_rows")
    return (
        f"CSV or Excel (.xlsx), up to {max_upload_mb()} MB and {rows:,} rows. The file's type "
        "is read from its content; formulas are read as the values the workbook saved, never "
        "calculated. Every problem is listed at once, with its row and column."
    )


@cache
def template(fmt: str) -> bytes:
    """The empty template's bytes in ``fmt`` (built once per process: it never changes; the
    page passes this as a deferred download, so it is built when first clicked)."""
    return template_bytes(fmt)


def problems_table(result: CheckResult) -> pd.DataFrame:
    """Every problem as a row: sheet, row (as a spreadsheet shows it), column, problem."""
    rows = [
        {
            "sheet": p.sheet or "(CSV)",
            "row": p.row if p.row else None,
            "column": p.column,
            "problem": p.message,
        }
        for p in result.problems
    ]
    return pd.DataFrame(rows, columns=["sheet", "row", "column", "problem"])


@dataclass(frozen=True)
class Outcome:
    """What an upload did: ``ok`` and the dataset opened, or the problems (nothing changed)."""

    ok: bool
    message: str
    problems: pd.DataFrame | None = None
    dataset: str = ""
    link: str = ""
    delete_key: str = ""
    notes: tuple[str, ...] = ()


def _base_of(ctx: Context) -> str:
    return base_dataset(ctx.view.dataset)


def upload(ctx: Context, name: str, content: bytes, title: str) -> Outcome:
    """Check an uploaded file against the current base bundle; store and open it when clean.
    Nothing changes when there is a problem."""
    base_name = _base_of(ctx)
    base = load_bundle(server_datasets()[base_name])
    title = title.strip() or name.rsplit(".", 1)[0]
    result = check_layer(content, name, base, title=title)
    shown_name, shown_title = escape_markdown(name), escape_markdown(title)
    if not result.ok:
        n = len(result.problems) + result.more
        more = f" (the first {len(result.problems):,} are listed)" if result.more else ""
        return Outcome(
            False,
            f"{n:,} problem(s) in {shown_name}{more}; nothing was loaded. Fix them and upload "
            "again.",
            problems_table(result),
            notes=result.notes,
        )
    try:
        saved, key = store().save_layer(base_name, title, name, content)
    except StoreError as exc:
        return Outcome(
            False, f"The layer could not be saved: {escape_markdown(exc)}", notes=result.notes
        )
    dataset = f"layer-{saved.id}"
    try:
        open_layer(dataset)
    except BundleError as exc:
        return Outcome(False, f"The layer was saved but cannot be opened: {escape_markdown(exc)}")
    keys = dict(st.session_state.get(LAYERS.delete_keys, {}))
    keys[dataset] = key
    st.session_state[LAYERS.delete_keys] = keys
    layer = result.layer
    assert layer is not None
    new = len(layer.new_indicators)
    local = layer.values["indicator_id"].nunique() - new
    return Outcome(
        True,
        f"{shown_name}: {result.rows:,} rows checked, no problems. {new} new indicator(s) and "
        f"{local} official indicator(s) with local figures now join "
        f"{escape_markdown(dataset_label(base_name))} as “{shown_title}”.",
        dataset=dataset,
        link=f"?dataset={dataset}",
        delete_key=key,
        notes=result.notes,
    )


def session_layers() -> list[tuple[str, str]]:
    """(dataset name, label) of the layers this session holds."""
    return [(n, dataset_label(n)) for n in st.session_state.get(SESSION_LAYERS, [])]


def switch_to(ctx: Context, dataset: str) -> None:
    """Show ``dataset`` on every page, at the current level and place when it has them."""
    bundle = load_bundle(dataset)
    level = ctx.view.level
    code = ctx.view.place if ctx.view.place in bundle.place_codes(level) else ""
    open_place(dataset, level, code or bundle.default_place(level))


def delete(ctx: Context, dataset: str, key: str) -> tuple[bool, str]:
    """Delete a stored layer with its delete key: whether it was, and the message to show.
    When it is the dataset on screen, the view goes back to its base bundle."""
    base = base_dataset(dataset)
    ident = dataset.removeprefix("layer-")
    if not store().delete_layer(ident, key.strip()):
        return False, "Not deleted: that delete key does not match this layer."
    forget_layer(dataset)
    if ctx.view.dataset == dataset:
        open_place(base, ctx.view.level, ctx.view.place)
    return True, "Deleted: the layer is gone from the database; its link no longer opens it."


def held_key(dataset: str) -> str:
    """The delete key this session was given for ``dataset`` ("" if it did not upload it)."""
    return str(st.session_state.get(LAYERS.delete_keys, {}).get(dataset, ""))
