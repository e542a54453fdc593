"""Command line: ``python -m dashboard make-demo | build-england | board-pack |
layer-template | check-layer``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import DATA_DIR
from dashboard.bundle.errors import BundleError


class CommandError(ValueError):
    """Input the command refuses: printed as one line on stderr, exit code 1."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("make-demo", help="generate the fictional demo bundle")
    demo.add_argument("--out", type=Path, default=DATA_DIR / "demo")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the fixed one)")

    eng = sub.add_parser("build-england", help="build the England bundle from the official files")
    eng.add_argument("--raw", type=Path, required=True, help="folder holding the official files")
    eng.add_argument("--out", type=Path, default=DATA_DIR / "england")

    pack = sub.add_parser(
        "board-pack",
        help="write a place's board pack (PowerPoint or PDF, by the file's extension)",
    )
    pack.add_argument(
        "--dataset", default="", help="dataset name (england, demo) or a bundle folder"
    )
    pack.add_argument("--place", default="", help="place code (default: the saved deck's place)")
    pack.add_argument("--out", type=Path, required=True, help="file to write: .pptx or .pdf")
    pack.add_argument("--scenario", default="", help="id of a saved scenario to show")
    pack.add_argument("--deck", default="", help="id of a saved deck (its slides, order, notes)")
    pack.add_argument("--level", choices=("upper", "lower"), default=None)
    pack.add_argument("--group", default="", help="comparison group id (default: the app's)")
    pack.add_argument("--period", default="", help="data period (default: the latest)")

    check = sub.add_parser(
        "check-layer",
        help="check a data layer (CSV or XLSX) against a bundle: every problem, as "
        "FILE:ROW:COLUMN: message",
    )
    check.add_argument("file", type=Path, help="the layer file (.csv or .xlsx)")
    check.add_argument(
        "--bundle",
        default="",
        help="dataset name (england, demo) or bundle folder it joins (default: England when "
        "built, else the demo)",
    )

    tpl = sub.add_parser(
        "layer-template",
        help="write an empty data layer to fill in (CSV: values; XLSX: values, definitions, "
        "read me), by the file's extension",
    )
    tpl.add_argument("--out", type=Path, required=True, help="file to write: .csv or .xlsx")

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "make-demo":
        from dashboard.demo import DEFAULT_SEED, make_demo

        out = make_demo(args.out, seed=DEFAULT_SEED if args.seed is None else args.seed)
        print(f"demo bundle written to {out}")
        return 0
    if args.command == "build-england":
        from dashboard.sources.england import build_england

        report = build_england(args.raw, args.out)
        print(report)
        return 0
    if args.command == "board-pack":
        return board_pack_command(args)
    if args.command == "layer-template":
        return layer_template_command(args.out)
    if args.command == "check-layer":
        return check_layer_command(args)
    return 2


# --- check-layer ------------------------------------------------------------------------------
def check_layer_command(args: argparse.Namespace) -> int:
    """``check-layer``: every problem on stdout, one per line; exit 1 when there is any."""
    from dashboard.bundle import read_bundle
    from dashboard.bundle.datasets import available_datasets
    from dashboard.bundle.limits import input_limit
    from dashboard.layers.check import check_layer

    found = available_datasets()
    default = "england" if "england" in found else "demo"
    _, path = _dataset(args.bundle or default)
    bundle = read_bundle(path)
    file: Path = args.file
    if not file.is_file():
        raise CommandError(f"no file '{str(file)[-120:]}'")
    top = input_limit("upload", "max_bytes")
    if file.stat().st_size > top:
        raise CommandError(
            f"{file.name}: {file.stat().st_size / 1e6:.1f} MB is more than the "
            f"{top / 1e6:.0f} MB a layer may be"
        )
    result = check_layer(file.read_bytes(), file.name, bundle)
    for note in result.notes:
        print(f"note: {file.name}: {note}", file=sys.stderr)
    for line in result.lines():
        print(line)
    if not result.ok:
        n = len(result.problems) + result.more
        print(f"{file.name}: {n:,} problem(s); nothing was loaded", file=sys.stderr)
        return 1
    layer = result.layer
    assert layer is not None
    print(
        f"{file.name}: no problems: {result.rows:,} rows, {len(layer.new_indicators)} new "
        f"indicator(s); joins {bundle.title}"
    )
    return 0


def layer_template_command(out: Path) -> int:
    """``layer-template``: the empty layer template at ``out`` (.csv or .xlsx)."""
    from dashboard.layers.template import write_template

    try:
        path = write_template(out)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {path}: {path.stat().st_size:,} bytes")
    return 0


# --- board-pack -------------------------------------------------------------------------------
def _dataset(name: str) -> tuple[str, Path]:
    """The dataset's name and folder: one of the server's datasets, or a bundle folder."""
    from dashboard.bundle.datasets import available_datasets

    found = available_datasets()
    if name in found:
        return name, found[name]
    path = Path(name)
    if name and (path / "bundle.yaml").exists():
        return path.name, path
    known = ", ".join(found)
    raise CommandError(f"unknown dataset '{name[:60]}' (available: {known}, or a bundle folder)")


def _level(bundle, place: str, level: str | None) -> str:  # type: ignore[no-untyped-def]
    """The tier of ``place``: ``level`` when given (checked), else the tier that has it."""
    from dashboard.bundle.schema import LEVELS

    if level and level not in LEVELS:
        raise CommandError(f"'{level[:20]}' is not a tier (upper or lower)")
    tiers = [level] if level else list(LEVELS)
    for tier in tiers:
        if place in bundle.place_codes(tier):
            return tier
    where = f"a {level}-tier place" if level else "a place"
    raise CommandError(f"'{place[:40]}' is not {where} in {bundle.title}")


def _store():  # type: ignore[no-untyped-def]
    """The app's database (DATABASE_URL, else PVE_DB_PATH); CommandError when it cannot be
    opened."""
    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.store.scenarios import ScenarioStore

    try:
        return ScenarioStore()
    except (SQLAlchemyError, OSError) as exc:
        raise CommandError(f"cannot open the database: {exc.__class__.__name__}") from None


def _saved_deck(deck_id: str):  # type: ignore[no-untyped-def]
    from dashboard.present.kinds import kind_ids
    from dashboard.present.model import DeckError, deck_from_json

    saved = _store().get_deck(deck_id)
    if saved is None:
        raise CommandError(f"no saved deck with id '{deck_id[:40]}'")
    try:
        return saved, deck_from_json(saved.deck_json, kind_ids())
    except DeckError as exc:
        raise CommandError(f"saved deck '{deck_id[:40]}' cannot be read: {exc}") from None


def _case(bundle, place: str, scenario_id: str, needed: bool):  # type: ignore[no-untyped-def]
    """The deck's scenario: the saved one (an error when it cannot be read), else the default
    preset when a slide needs one (None when it cannot be run: those slides say why)."""
    from dashboard.present.case import scenario_case
    from dashboard.scenario import ScenarioError, load_catalogue
    from dashboard.scenario.assumptions import scenario_from_saved

    if scenario_id:
        saved = _store().get(scenario_id)
        if saved is None:
            raise CommandError(f"no saved scenario with id '{scenario_id[:40]}'")
        cat = load_catalogue()
        try:
            scenario, notes = scenario_from_saved(saved.scenario_json, cat)
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
            return scenario_case(
                bundle, place, scenario, name=saved.name, saved_id=saved.id, catalogue=cat
            )
        except (ScenarioError, KeyError, ValueError) as exc:
            raise CommandError(
                f"saved scenario '{scenario_id[:40]}' cannot be run: {exc}"
            ) from None
    if not needed:
        return None
    try:
        return scenario_case(bundle, place)
    except (ScenarioError, KeyError, ValueError) as exc:
        print(f"note: the default scenario cannot be run here ({exc})", file=sys.stderr)
        return None


def board_pack_command(args: argparse.Namespace) -> int:
    """``board-pack``: the place's deck (saved, or the default one) as .pptx or .pdf."""
    import time

    from dashboard.bundle import read_bundle
    from dashboard.present.kinds import build_slides, default_deck, needs_scenario
    from dashboard.present.pack import PackError, pack_format, write_pack
    from dashboard.view import View, context_for, default_group, group_options

    t0 = time.perf_counter()
    try:
        fmt = pack_format(args.out)
    except PackError as exc:
        raise CommandError(str(exc)) from None
    saved, deck = _saved_deck(args.deck) if args.deck else (None, None)
    view = dict(deck.view) if deck else {}
    name, path = _dataset(args.dataset or view.get("dataset", "") or "")
    bundle = read_bundle(path)
    place = args.place or (view.get("place", "") if deck else "")
    if not place:
        raise CommandError("--place is needed (a place code, e.g. E08000010)")
    level = _level(
        bundle, place, args.level or (view.get("level") if deck and not args.place else None)
    )
    group = args.group or view.get("group", "") or default_group(bundle, level)
    groups = group_options(bundle, level)
    if group not in groups:
        raise CommandError(
            f"'{group[:40]}' is not a comparison group at the {level} tier "
            f"(one of: {', '.join(groups)})"
        )
    if group == "custom":
        raise CommandError("the 'custom' group needs places picked in the app; use a saved deck")
    period = args.period or view.get("period", "") or bundle.periods[-1]
    if period not in bundle.periods:
        raise CommandError(
            f"'{period[:40]}' is not a period of {bundle.title} "
            f"({bundle.periods[0]} to {bundle.periods[-1]})"
        )
    v = View(name, level, place, group, period)
    ctx = context_for(bundle, v)
    deck = deck or default_deck(ctx)
    scenario_id = args.scenario or deck.scenario_id
    case = _case(bundle, place, scenario_id, needs_scenario(deck))
    slides = build_slides(ctx, deck, case)
    from dashboard.export.images import FONT_DIRS, registered_fonts

    if not registered_fonts():
        print(
            "warning: Liberation Sans was not found (Debian: apt-get install fonts-liberation2; "
            f"looked in {', '.join(FONT_DIRS)}): the charts' text may be missing from the pack",
            file=sys.stderr,
        )
    title = saved.name if saved else f"{bundle.place_name(place)}: board pack"
    try:
        size = write_pack(args.out, slides, title=title)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(
        f"wrote {args.out}: {fmt}, {len(slides)} slides, {size / 1024:,.0f} KB, "
        f"{time.perf_counter() - t0:.1f} s"
    )
    return 0
