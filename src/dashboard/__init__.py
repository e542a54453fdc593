"""Place Value Explorer: outcomes per pound, given need, for local public services in England."""

from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding app.py, data/ and pages/).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
