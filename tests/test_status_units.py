"""``ktt status --units``: many units in one table, printed and written."""

from __future__ import annotations

import pandas as pd
import pytest

from ktt.cli import main
from ktt.forecasting.many import COLUMNS
from ktt.inputs.synthetic import SyntheticParams, write

COMMUNES = ["xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui"]
"""The five communes that took over Krông Bông (data/units.csv)."""


@pytest.fixture(scope="module")
def communes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    return write(folder / "communes.csv", [SyntheticParams(unit=u, seed=i, founding_rate=2 + i)
                                           for i, u in enumerate(COMMUNES)])


def test_status_units_within_a_province_writes_the_table(communes, tmp_path, capsys):
    output = tmp_path / "table.csv"
    assert main(["status", "--data", str(communes), "--units", "within=dak-lak-2025",
                 "--workers", "0", "--paths", "100", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and f"wrote {output} (35 rows)" in out
    table = pd.read_csv(output, keep_default_na=False, na_values=[""])
    assert list(table.columns) == COLUMNS
    assert list(dict.fromkeys(table["unit"])) == COMMUNES
    assert set(table["parent"]) == {"dak-lak-2025"}
    assert set(table["status"]) <= {"met", "missed", "open"}


def test_status_units_on_dask_equals_one_by_one(communes, tmp_path):
    tables = []
    for workers in ("0", "2"):
        output = tmp_path / f"table-{workers}.csv"
        assert main(["status", "--data", str(communes), "--units", "xa-cu-pui,xa-hoa-son",
                     "--workers", workers, "--paths", "100", "--output", str(output)]) == 0
        tables.append(pd.read_csv(output))
    pd.testing.assert_frame_equal(*tables)


def test_status_units_refuses_unknown_units_and_formats(communes, tmp_path, capsys):
    assert main(["status", "--data", str(communes), "--units", "xa-cu-pui,nowhere",
                 "--workers", "0"]) == 2
    assert "nowhere in neither the units table nor the observations" in capsys.readouterr().err
    assert main(["status", "--data", str(communes), "--units", "all",
                 "--output", str(tmp_path / "table.xlsx")]) == 2
    assert "write .csv or .parquet" in capsys.readouterr().err


def test_status_units_parquet_needs_pyarrow(communes, tmp_path, capsys):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert main(["status", "--data", str(communes), "--units", "all",
                     "--output", str(tmp_path / "table.parquet")]) == 2
        assert "Parquet needs pyarrow" in capsys.readouterr().err
    else:
        output = tmp_path / "table.parquet"
        assert main(["status", "--data", str(communes), "--units", "xa-cu-pui",
                     "--workers", "0", "--paths", "100", "--output", str(output)]) == 0
        assert list(pd.read_parquet(output).columns) == COLUMNS
