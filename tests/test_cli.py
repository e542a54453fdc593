"""The command line reports refused input as a message and a non-zero exit, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.cli import main


def test_build_england_without_files_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build-england", "--raw", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error:") and "Boundaries" in err and "Traceback" not in err
