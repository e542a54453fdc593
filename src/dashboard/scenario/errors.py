"""The one error the scenario engine raises for bad input."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A catalogue entry or a scenario value that is refused.

    ``parameter`` names the offending parameter path (for example
    ``interventions.reablement.cost_per_participant`` or ``budgets.reablement``); ``file`` the
    catalogue file when the problem is in YAML.
    """

    def __init__(self, message: str, *, parameter: str | None = None, file: str | None = None):
        self.parameter = parameter
        self.file = file
        self.detail = message
        where = [w for w in (file, f"parameter '{parameter}'" if parameter else None) if w]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
