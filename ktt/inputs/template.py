"""A blank CSV form for a district's own figures, in the observations format."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ktt.errors import KttError, as_slug
from ktt.inputs.catalog import INDICATORS

FORM_INDICATORS = ("htx_new", "tht_new", "htx_dissolved", "tht_dissolved", "htx_active",
                   "tht_active", "orgs_profitable", "farm_households", "member_households",
                   "htx_rated_good")
"""The counts the targets and the scenarios need (shares are derived from them), with the
dissolutions of HTX and THT alike, as the example records them."""


def parse_years(text: str) -> range:
    """``"2015-2025"`` -> ``range(2015, 2026)``; ``"2026"`` (next year's figures) ->
    ``range(2026, 2027)``.

    Raises
    ------
    KttError
        For anything but one year, or two with the first not after the second.
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match or int(match[1]) > int(match[2] or match[1]):
        raise KttError(f"--years '{text}': write the first and last year, like 2015-2025, or "
                       "one year, like 2026")
    return range(int(match[1]), int(match[2] or match[1]) + 1)


def write_template(unit: str, years: range, path: str | Path, replace: bool = False) -> Path:
    """Write the form: one row per unit, year and indicator, ``value, source, quote`` empty.

    ``unit`` is one unit id or several separated by commas: the five communes that took over a
    district in 2025 (``xa-krong-bong,xa-dang-kang,...``) fill one form, and the district is
    evaluated on their sums. The ``wording`` column gives each indicator as district reports
    put it. The file is UTF-8 with a byte-order mark so that LibreOffice and Excel open the
    Vietnamese text correctly; ``ktt validate`` accepts it as it is and once filled, and blank
    rows stay missing figures.

    An existing file is refused unless ``replace`` is true: it may be a form already filled in.
    """
    units = [u.strip() for u in unit.split(",")]
    twice = sorted({u for u in units if units.count(u) > 1})
    if twice:
        # each of its rows would be there twice, and refused as a repeat once filled in
        raise KttError(f"--unit names {', '.join(twice)} more than once; name each unit once")
    for one in units:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", one):
            raise KttError(f"--unit '{one}' is not a lowercase slug; write "
                           f"{as_slug(one) or 'it like krong-bong'} (a-z, 0-9 and hyphens, "
                           "without diacritics; several units separated by commas)")
    path = Path(path)
    if path.exists() and not replace:
        raise KttError(f"{path} exists and may hold figures you entered; give another "
                       "--output, or --force to replace it with a blank form")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["unit", "year", "indicator", "value", "source", "quote", "wording"])
        for one in units:
            for year in years:
                for code in FORM_INDICATORS:
                    writer.writerow([one, year, code, "", "", "",
                                     f"{INDICATORS[code].vi} ({INDICATORS[code].en})"])
    return path
