"""A bundle whose text fields try to inject markdown, HTML and Streamlit directives.

The demo bundle, copied, with the default upper-tier place's name, its region's name, two
indicators' labels and definitions (the Home page's first card and the Value for money page's
first outcome), one source title, and the bundle's title, description, attribution, licence and
a note rewritten to carry links, images, emphasis, HTML and ``:red[...]``; one spend value is
made negative so the loader notes it (``Bundle.warnings``). Used by the AppTest of every page
(tests/hardening/test_injection_app.py) and by the browser test (tests/e2e/test_injection.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import yaml

from dashboard import DATA_DIR

#: The host every injected link and image points at (no request may ever go there).
HOST = "example.invalid"
#: The default upper-tier place of the demo, whose name and region are rewritten.
PLACE = "X06000024"
#: Indicators whose label and definition are rewritten (Home's first card, the Value for money
#: page's first outcome) and the spend indicator one of whose values is made negative.
INDICATORS = ("spend_total_per_head", "asc_user_qol")
NEGATIVE = "spend_asc_per_head"


def attack(field: str) -> str:
    """The injection text for one field (the field's name first, so a failure says which)."""
    return (
        f"{field} **x** [click](http://{HOST}/{field}) ![img](http://{HOST}/{field}.png) "
        "<img src=x onerror=alert(1)> :red[boo] _under_"
    )


#: Markdown, HTML or directive syntax from ``attack`` that survived unescaped (a backslash
#: before the character means it is shown as typed; an autolink needs "http://" unbroken).
UNESCAPED = re.compile(
    r"(?<!\\)\[click"
    r"|(?<!\\)!\[img"
    r"|(?<!\\)\*\*x"
    r"|(?<!\\)<img"
    r"|(?<!\\):red\[|(?<!\\):red\\\["
    r"|(?<!\\)_under"
    r"|https?://" + re.escape(HOST)
)


def unescaped(body: str) -> list[str]:
    """The pieces of injected syntax in a markdown body that would render as markup."""
    return UNESCAPED.findall(body)


def write_injection_bundle(out: Path) -> Path:
    """Copy the demo bundle to ``out`` and rewrite its text fields; returns ``out``."""
    shutil.copytree(DATA_DIR / "demo", out)
    meta_path = out / "bundle.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    for field in ("title", "description", "attribution", "licence"):
        meta[field] = attack(f"bundle-{field}")
    meta["notes"] = [attack("bundle-note")]
    for field in ("label", "name", "publisher", "note", "method"):
        meta["neighbour_sets"][0][field] = attack(f"bundle-set-{field}")
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), "utf-8")

    places = pd.read_csv(out / "places.csv", dtype=str, keep_default_na=False)
    me = places["code"] == PLACE
    region = places.loc[me, "region_code"].iloc[0]
    places.loc[me, "name"] = attack("place-name")
    places.loc[places["region_code"] == region, "region_name"] = attack("region-name")
    places.to_csv(out / "places.csv", index=False)

    ind_path = out / "indicators.yaml"
    doc = yaml.safe_load(ind_path.read_text(encoding="utf-8"))
    for ind in doc["indicators"]:
        if ind["id"] in INDICATORS:
            ind["label"] = attack(f"label-{ind['id']}")
            ind["definition"] = attack(f"definition-{ind['id']}")
        if ind["id"] == INDICATORS[0]:
            ind["source"]["title"] = attack("source-title")
    ind_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")

    values = pd.read_parquet(out / "values.parquet")
    row = values.index[(values["indicator_id"] == NEGATIVE) & (values["place_code"] != PLACE)][0]
    values.loc[row, "value"] = -abs(float(values.loc[row, "value"]))
    values.to_parquet(out / "values.parquet", index=False)
    return out
