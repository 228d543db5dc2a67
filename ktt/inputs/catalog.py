"""The indicator codes: what each measures, its kind (count, stock or share) and its wording.

The wording is how Vietnamese district reports on the collective economy put it, so an
analyst can find the figure in their own annual report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Indicator:
    """One indicator code."""

    code: str
    """Code used in the ``indicator`` column."""
    kind: Literal["count", "stock", "share"]
    """``count``: a whole number >= 0 of events in the year (foundings, dissolutions) or of
    organizations that did something in it; ``stock``: a whole number >= 0 on record at year
    end, which grows by net foundings (HTX on record, members, unions); ``share``: a fraction
    in [0, 1]."""
    en: str
    """English meaning, with its unit."""
    vi: str
    """Vietnamese wording as district reports put it."""


_ROWS = [
    ("htx_new", "count", "new cooperatives (HTX) founded in the year [count per year]",
     "Số HTX thành lập mới trong năm"),
    ("tht_new", "count", "new cooperative groups (THT) founded in the year [count per year]",
     "Số THT thành lập mới trong năm"),
    ("orgs_new", "count", "new HTX and THT together in the year [count per year]; derived "
     "as htx_new + tht_new where not reported", "Số HTX và THT thành lập mới trong năm"),
    ("htx_dissolved", "count", "cooperatives dissolved in the year [count per year]",
     "Số HTX giải thể trong năm"),
    ("tht_dissolved", "count", "cooperative groups dissolved in the year [count per year]",
     "Số THT giải thể trong năm"),
    ("htx_active", "stock", "cooperatives operating at year end [count]",
     "Số HTX đang hoạt động (cuối năm)"),
    ("tht_active", "stock", "cooperative groups operating at year end [count]",
     "Số THT đang hoạt động (cuối năm)"),
    ("htx_registered", "stock", "all registered cooperatives at year end, active or not "
     "[count]; not the same as htx_active", "Số HTX hiện có (cả HTX ngừng hoạt động)"),
    ("tht_registered", "stock", "all cooperative groups on record at year end, active or not "
     "[count]; not the same as tht_active", "Số THT hiện có"),
    ("unions_registered", "stock", "unions of cooperatives (liên hiệp HTX) on record at year end "
     "[count]", "Số liên hiệp HTX hiện có"),
    ("union_member_htx", "stock", "cooperatives that are members of a union of cooperatives at "
     "year end [count]", "Số HTX thành viên của liên hiệp HTX"),
    ("htx_members", "stock", "members of cooperatives at year end [count of members]",
     "Số thành viên HTX"),
    ("tht_members", "stock", "members of cooperative groups at year end [count of members]",
     "Số thành viên THT"),
    ("orgs_profitable", "count", "HTX and THT operating at a profit in the year [count]",
     "Số HTX, THT hoạt động sản xuất kinh doanh có lãi"),
    ("profitable_share", "share", "share of operating HTX and THT that made a profit "
     "[fraction]", "Tỷ lệ tổ chức KTTT hoạt động có lãi"),
    ("htx_rated_good", "count", "cooperatives rated fair or good in the annual "
     "classification [count]", "Số HTX xếp loại khá, tốt"),
    ("rated_good_share", "share", "share of cooperatives rated fair or good [fraction]",
     "Tỷ trọng HTX khá, tốt"),
    ("rated_weak_share", "share", "share of cooperatives rated weak (yếu, kém) in the annual "
     "classification [fraction]", "Tỷ lệ HTX yếu, kém"),
    ("farm_households", "stock", "farm households in the area [count]",
     "Tổng số hộ nông dân"),
    ("member_households", "stock", "farm households taking part in the collective economy "
     "[count]", "Số hộ nông dân tham gia kinh tế tập thể"),
    ("household_share", "share", "share of farm households taking part in the collective "
     "economy [fraction]", "Tỷ lệ hộ nông dân tham gia kinh tế tập thể"),
]

INDICATORS: dict[str, Indicator] = {row[0]: Indicator(*row) for row in _ROWS}

SHARE_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "profitable_share": ("orgs_profitable", ("htx_active", "tht_active")),
    "rated_good_share": ("htx_rated_good", ("htx_active",)),
    "household_share": ("member_households", ("farm_households",)),
}
"""For each share: its numerator code and the codes whose sum is its denominator."""

SUM_PARTS: dict[str, tuple[str, ...]] = {"orgs_new": ("htx_new", "tht_new")}
"""Counts derived as the sum of their parts, only where every part is known for the year."""


SHARE_DECIMALS = (1, 3)
"""Decimals of a percentage a share is written with: one, and up to three where one would
write two different shares alike (``share_decimals``)."""


def share_decimals(*shares: float) -> int:
    """The fewest decimals of a percentage, from one to three, that write the different
    ``shares`` [fractions] differently: ``0.07529`` beside the threshold ``0.075`` is
    ``7.53%``, since ``7.5%`` reads as not above 7.5 %, though the record says it is (and
    ``40.02%`` after ``39.98%`` reads as no rise). NaN is left out.

    Returns
    -------
    int
        Decimals of the percentage; three when even three write two of them alike.
    """
    finite = sorted({float(s) for s in shares if s == s})
    least, most = SHARE_DECIMALS
    for decimals in range(least, most + 1):
        written = [round(s * 100, decimals) for s in finite]
        if len(set(written)) == len(written):
            return decimals
    return most


def decided_figures(figures: Mapping, least: Mapping, threshold: float | None,
                    write: Callable[..., str], at_least: str = "≥") -> str:
    """The figures that decided a target, ``year: figure`` in year order: each of ``figures``
    (year -> value) by ``write(value, share_decimals=n)`` with the decimals that tell the
    figures and the ``threshold`` apart (``share_decimals``), and each year of ``least``
    (year -> the sum of its known parts, ``ktt.inputs.indicators.floors``) that has no figure
    as ``at_least`` that sum. One wording for ``ktt status``, the report and the index."""
    decimals = share_decimals(*figures.values(),
                              float("nan") if threshold is None else threshold)
    shown = {**{year: f"{at_least} {write(value)}" for year, value in least.items()},
             **{year: write(value, share_decimals=decimals) for year, value in figures.items()}}
    return ", ".join(f"{year}: {shown[year]}" for year in sorted(shown))


def format_value(value: float, code: str, count_decimals: int = 0,
                 share_decimals: int = SHARE_DECIMALS[0]) -> str:
    """A count with ``count_decimals`` decimals, a stock as a whole number with thousands
    separators (``35,041``: a tenth of a cooperative in a total means nothing), a share as a
    percentage with ``share_decimals`` decimals (see ``share_decimals``); ``-`` for NaN."""
    if value != value:  # NaN
        return "-"
    kind = kind_of(code)
    if kind == "share":
        return f"{value:.{share_decimals}%}"
    return f"{value:,.0f}" if kind == "stock" else f"{value:.{count_decimals}f}"


def kind_of(code: str) -> str:
    """Return ``"count"``, ``"stock"`` or ``"share"`` for an indicator code."""
    return INDICATORS[code].kind


def is_share(code: str) -> bool:
    """Whether the indicator is a fraction in [0, 1]; otherwise it is a whole number >= 0 (a
    count or a stock), which successor units add up and charts plot as it is."""
    return kind_of(code) == "share"
