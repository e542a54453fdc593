"""Suite-wide settings: property tests draw the same examples on every run (derandomized), so
a run's result does not depend on luck; a new example is found by changing the test, not by
chance in CI."""

from hypothesis import settings

settings.register_profile("project", derandomize=True, database=None)
settings.load_profile("project")
