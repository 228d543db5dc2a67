"""The form: opens in a spreadsheet, validates blank and filled, and its figures decide targets."""

from __future__ import annotations

import json

import pytest

from ktt.cli import main
from ktt.errors import KttError
from ktt.inputs.template import FORM_INDICATORS, parse_years, write_template


def test_form_has_a_row_per_year_and_indicator_with_bom(tmp_path):
    path = write_template("krong-bong", range(2015, 2026), tmp_path / "form.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "unit,year,indicator,value,source,quote,wording"
    assert len(lines) == 1 + 11 * len(FORM_INDICATORS)
    assert "Số HTX thành lập mới trong năm" in lines[1]


def test_blank_form_validates(tmp_path, capsys):
    path = write_template("krong-bong", range(2020, 2022), tmp_path / "form.csv")
    assert main(["validate", str(path)]) == 0
    assert "holds no figure yet" in capsys.readouterr().out


def test_filled_form_decides_the_elapsed_years(tmp_path, capsys):
    path = write_template("krong-bong", range(2021, 2024), tmp_path / "form.csv")
    known = {(2021, "htx_new"): 3, (2021, "tht_new"): 2, (2022, "htx_new"): 1,
             (2022, "tht_new"): 2, (2023, "htx_new"): 5}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    filled = [lines[0]]
    for line in lines[1:]:
        unit, year, code, *_ = line.split(",", 3)
        value = known.get((int(year), code))
        source = f"{value},bc-{year},Báo cáo {year}"
        filled.append(line if value is None else line.replace(
            f"{unit},{year},{code},,,", f"{unit},{year},{code},{source}", 1))
    path.write_bytes(("\r\n".join(filled) + "\r\n").encode("utf-8-sig"))
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["status", "--data", str(path), "--json", "--paths", "200"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    # 2021: 3 + 2 = 5, 2022: 1 + 2 = 3 < 4; 2023 has no THT figure, so no total.
    assert records["T2025-formation"]["status"] == "missed"
    assert records["T2025-formation"]["decided_by"] == [2022]
    assert records["T2025-formation"]["observed"] == {"2021": 5.0, "2022": 3.0}


def test_bad_years():
    with pytest.raises(KttError, match="--years '2025-2015': write the first and last year"):
        parse_years("2025-2015")


def test_one_year_is_a_form_for_that_year():
    # next year's figures: --years 2026, not 2026-2026
    assert parse_years("2026") == range(2026, 2027)
    with pytest.raises(KttError, match="--years '26': write the first and last year"):
        parse_years("26")


def test_a_unit_named_twice_is_refused(tmp_path):
    with pytest.raises(KttError) as caught:
        write_template("xa-cu-pui,xa-hoa-son,xa-cu-pui", range(2026, 2027), tmp_path / "f.csv")
    assert str(caught.value) == "--unit names xa-cu-pui more than once; name each unit once"
    assert not (tmp_path / "f.csv").exists()


def test_an_existing_form_is_not_replaced_without_force(tmp_path, capsys):
    path = tmp_path / "form.csv"
    path.write_text("unit,year,indicator,value,source,quote\nkrong-bong,2020,htx_new,3,a,b\n",
                    encoding="utf-8")
    assert main(["template", "--output", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {path} exists and may hold figures you entered; give another --output, or "
        "--force to replace it with a blank form\n")
    assert "htx_new,3,a,b" in path.read_text(encoding="utf-8")
    assert main(["template", "--output", str(path), "--force", "--unit", "krong-bongg"]) == 0
    assert "htx_new,3,a,b" not in path.read_text(encoding="utf-8-sig")
    assert "note: unit(s) not in data/units.csv: krong-bongg (close to krong-bong)." in (
        capsys.readouterr().out)


def test_validate_notes_a_unit_the_units_table_does_not_know(write_csv, capsys):
    path = write_csv("krong-bongg,2021,htx_new,3,s1,q\nmy-commune,2021,htx_new,2,s1,q\n"
                     "krong-bong,2021,htx_new,1,s1,q\n")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "note: unit(s) not in data/units.csv: krong-bongg (close to krong-bong), my-commune. "
        "Right for a unit of your own, which has no parent or predecessor there (add a row for "
        "it to count it in its province's totals); otherwise correct the unit column")


def test_a_commune_of_its_own_is_not_called_close_to_another(write_csv, capsys):
    path = write_csv("xa-ea-kar,2021,htx_new,3,s1,q\n")
    assert main(["validate", str(path)]) == 0
    assert "xa-ea-kar. Right for a unit of your own" in capsys.readouterr().out


def test_a_unit_written_with_diacritics_is_given_its_slug(tmp_path):
    with pytest.raises(KttError) as caught:
        write_template("xa-krong-bong,Xã Cư Pui", range(2026, 2027), tmp_path / "form.csv")
    assert str(caught.value) == ("--unit 'Xã Cư Pui' is not a lowercase slug; write xa-cu-pui "
                                 "(a-z, 0-9 and hyphens, without diacritics; several units "
                                 "separated by commas)")
    assert not (tmp_path / "form.csv").exists()
