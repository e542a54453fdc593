"""The data contract: read, validate and write a bundle directory; the demo generator."""

from dashboard.bundle.errors import BundleError
from dashboard.bundle.io import compute_coverage, read_bundle, validate_bundle, write_bundle
from dashboard.bundle.model import Bundle

__all__ = [
    "Bundle",
    "BundleError",
    "compute_coverage",
    "read_bundle",
    "validate_bundle",
    "write_bundle",
]
