"""What the England builder writes about its build: the bundle's metadata (bundle.yaml: sources,
notes, default places) and the printable report (files used and missing, problems, coverage)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.bundle import Bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.io import compute_coverage
from dashboard.sources import geography as geo_mod
from dashboard.sources.finance import period_from
from dashboard.sources.parsing import Problem
from dashboard.sources.registry import SOURCE_BY_ID, Source
from dashboard.sources.step import StepResult
from dashboard.sources.tables import Note, bundle_text, field_of, note

#: The source id of the ONS Explore Local Statistics files (one source entry per file in
#: bundle.yaml, named "els:<file stem>").
ELS = "els"
#: Problems listed one by one in the report (the rest are counted).
REPORT_PROBLEMS = 15


@dataclass
class BuildRecord:
    """Everything the steps found, merged in step order (the values stay with the builder)."""

    missing: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    els_meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    def merge(self, r: StepResult) -> None:
        """Append one step's result (files used keep their first-use order)."""
        self.notes += r.notes
        self.problems += r.problems
        for sid, names in r.used.items():
            self.used.setdefault(sid, []).extend(names)
        self.log += r.log
        for k, n in r.dropped.items():  # keeps zero counts, as the report lists them
            self.dropped[k] += n
        self.missing += r.missing
        self.els_meta.update(r.els_meta)


def source_block(rec: BuildRecord, sid: str) -> dict[str, str]:
    """Publisher, title, address and licence of source ``sid`` (or ``els:<file>``, described by
    the file's own metadata where it has some)."""
    if sid.startswith(f"{ELS}:"):
        name = sid[len(ELS) + 1 :]
        els = SOURCE_BY_ID[ELS]
        meta = rec.els_meta.get(name, {})
        url = str(meta.get("sourceURL") or "").split("|")[0] or els.url
        org = str(meta.get("sourceOrg") or els.publisher).split("|")[0]
        title = str(meta.get("label") or name.removesuffix(".csv").replace("-", " ").capitalize())
        return {
            "publisher": str(field_of(ELS, "via")).format(org=org),
            "title": title,
            "url": url,
            "licence": els.licence,
        }
    s = SOURCE_BY_ID[sid]
    return {"publisher": s.publisher, "title": s.title, "url": s.url, "licence": s.licence}


def _default_place(codes: list[str], wanted: str, prefix: str | None = None) -> str:
    if wanted in set(codes):
        return wanted
    if prefix is None:
        return codes[0]
    return next((c for c in codes if c.startswith(prefix)), codes[0])


def bundle_meta(
    rec: BuildRecord, geo: geo_mod.Geography, periods: list[str], mye_year: int
) -> dict[str, Any]:
    """The bundle.yaml mapping: texts of england_bundle.yaml, sources used, notes, periods."""
    sources = []
    for sid, files in rec.used.items():
        if sid == ELS:
            for name in files:
                b = source_block(rec, f"{ELS}:{name}")
                sources.append(
                    {"id": f"{ELS}:{name.removesuffix('.csv')}", **b, "period": "", "files": [name]}
                )
            continue
        s = SOURCE_BY_ID[sid]
        sources.append(
            {
                "id": sid,
                "publisher": s.publisher,
                "title": s.title,
                "url": s.url,
                "licence": s.licence,
                "period": ", ".join(sorted({p for f in files if (p := period_from(f))})),
                "files": files,
            }
        )
    upper = _default_place(geo.upper_codes, bundle_text("default_place", "upper"))
    lower = _default_place(geo.lower_codes, bundle_text("default_place", "lower"), "E07")
    notes = [*rec.notes, note("small_councils")]
    return {
        "title": bundle_text("title"),
        "description": bundle_text("description"),
        "is_demo": False,
        "attribution": bundle_text("attribution"),
        "licence": bundle_text("licence"),
        "periods": periods,
        "default_place": {"upper": upper, "lower": lower},
        "population_year": mye_year,
        "sources": sources,
        "notes": [n.text for n in notes],
    }


def build_report(rec: BuildRecord, bundle: Bundle, out: Path, seconds: float) -> str:
    """The printable report of a build that took ``seconds``."""
    cov = compute_coverage(bundle)
    lines = [f"England bundle written to {out} in {seconds:.1f} s", ""]
    lines.append(
        f"Places: {len(bundle.places_at('upper'))} upper tier, {len(bundle.places_at('lower'))} lower tier; "
        f"{len(bundle.indicators)} indicators; {int(bundle.values['value'].notna().sum()):,} values "
        f"({int(bundle.values['value'].isna().sum()):,} missing or suppressed, kept with a status)."
    )
    lines.append("")
    lines.append("Files used:")
    for sid, files in rec.used.items():
        lines.append(f"  {sid}: {', '.join(files)}")
    if rec.missing:
        lines.append("")
        lines.append("Missing files (the bundle was built without them; download and rerun):")
        for s in rec.missing:
            lines.append(f"  - {s.title} — {s.publisher}, {s.url} (file like {s.patterns[0]})")
    canon = [e["id"] for e in canonical_indicators()]
    absent = [i for i in canon if not bundle.has_indicator(i)]
    if absent:
        lines.append("")
        lines.append("Canonical indicators with no value from these files: " + ", ".join(absent))
    if rec.dropped:
        lines.append("")
        lines.append(
            "Codes of former councils not carried over (no current council with the same area):"
        )
        for f, n in sorted(rec.dropped.items()):
            lines.append(f"  {f}: {n} codes")
    if rec.problems:
        lines.append("")
        lines.append(f"Unexpected values kept as missing ({len(rec.problems)}):")
        for p in rec.problems[:REPORT_PROBLEMS]:
            lines.append(f"  {p}")
        if len(rec.problems) > REPORT_PROBLEMS:
            lines.append(f"  ... and {len(rec.problems) - REPORT_PROBLEMS} more")
    if rec.log:
        lines.append("")
        lines.append("Skipped:")
        lines += [f"  {x}" for x in rec.log]
    if bundle.warnings:
        lines += ["", "Warnings:", *[f"  {w}" for w in bundle.warnings]]
    lines.append("")
    lines.append("Coverage (places with a value at the latest period / places at the level):")
    cov = cov[cov["places_with_value"] > 0]
    for (ind, level), g in cov.groupby(["indicator_id", "level"], sort=True):
        g = g.sort_values("period")
        last = g.iloc[-1]
        lines.append(
            f"  {ind:<42} {level:<5} {int(last.places_with_value):>3}/{int(last.places_total):<3} "
            f"latest {last.period}; periods {g['period'].iloc[0]}..{last.period} ({len(g)})"
        )
    return "\n".join(lines)
