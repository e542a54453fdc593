"""Command line: ``python -m dashboard make-demo | build-england``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import DATA_DIR
from dashboard.bundle.errors import BundleError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("make-demo", help="generate the fictional demo bundle")
    demo.add_argument("--out", type=Path, default=DATA_DIR / "demo")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the fixed one)")

    eng = sub.add_parser("build-england", help="build the England bundle from the official files")
    eng.add_argument("--raw", type=Path, required=True, help="folder holding the official files")
    eng.add_argument("--out", type=Path, default=DATA_DIR / "england")

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BundleError as exc:
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
    return 2
