"""``python -m dashboard check-layer``: every problem as FILE:ROW:COLUMN: message, exit 1; a
clean layer exit 0."""

from __future__ import annotations

from dashboard import DATA_DIR
from dashboard.cli import main

from .conftest import csv_bytes


def test_check_layer_prints_every_problem_and_exits_1(tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["place_code", "indicator_id", "period", "value"],
                ["X06000024", "ks2_expected_pct", "2025", "x"],
                ["NOPE", "ks2_expected_pct", "2025", "abc"],
                ["X06000024", "ks2_expected_pct", "2025", "60"],
            ]
        )
    )
    code = main(["check-layer", str(path), "--bundle", str(DATA_DIR / "demo")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        "bad.csv:3:place_code: unknown place code 'NOPE': use the council's 9-character GSS "
        "code (e.g. E08000010)",
        "bad.csv:3:value: 'abc' is not a number (nor an official marker such as x, c, .., :, "
        "z, u, low)",
        "bad.csv:4:place_code, indicator_id, period: duplicate: place_code X06000024, "
        "indicator_id ks2_expected_pct, period 2025 again (first at row 2); keep one row",
    ]
    assert "3 problem(s); nothing was loaded" in err


def test_check_layer_on_a_clean_file_exits_0(tmp_path, capsys) -> None:
    path = tmp_path / "ok.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["place_code", "indicator_id", "period", "value"],
                ["X06000024", "ks2_expected_pct", "2025", "61.5"],
            ]
        )
    )
    assert main(["check-layer", str(path), "--bundle", "demo"]) == 0
    out, _ = capsys.readouterr()
    assert "no problems: 1 rows" in out


def test_check_layer_refuses_a_missing_file(tmp_path, capsys) -> None:
    assert main(["check-layer", str(tmp_path / "none.csv"), "--bundle", "demo"]) == 1
    assert "no file" in capsys.readouterr().err
