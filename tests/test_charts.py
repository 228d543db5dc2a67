"""The report's charts are laid out by ``ktt.report.plots.fit_layout`` (not constrained layout,
which drew each figure twice more): every tick label, axis label and title inside the figure,
and no panel's title over the tick labels of the panel above."""

from __future__ import annotations

import html
import itertools
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import ktt.report.backtest as kb
import ktt.report.forecast as kr
from ktt.forecasting.scores import score_table
from ktt.inputs.catalog import INDICATORS, kind_of
from ktt.report.charts import quoted_figures
from ktt.report.comparison import comparison_chart
from ktt.report.plots import (
    CHART_WIDTH,
    MAX_PANELS,
    PANEL_DPI,
    PANEL_HEIGHT,
    PANEL_WIDTH,
    Charts,
    fan_charts,
    fit_layout,
    number_axes,
    panel_groups,
)
from ktt.report.strings import text
from ktt.report.target_table import rule_words


def shown(axis, view) -> list:
    """The tick labels an axis draws: those of its ticks within its limits."""
    low, high = sorted(view)
    return [label for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels(),
                                        strict=True)
            if low <= loc <= high and label.get_text()]


def texts(ax) -> dict[str, list]:
    """The texts of a panel that take room outside it."""
    return {"y": shown(ax.yaxis, ax.get_ylim()), "x": shown(ax.xaxis, ax.get_xlim()),
            "labels": [t for t in (ax.yaxis.label, ax.xaxis.label) if t.get_text()],
            "title": [ax.title]}


def assert_laid_out(fig: Figure) -> None:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    axes = fig.axes
    for ax in axes:
        for kind, items in texts(ax).items():
            for item in items:
                box = item.get_window_extent(renderer)
                where = (kind, item.get_text())
                assert box.x0 >= -0.5, where
                assert box.x1 <= width + 0.5, where
                assert box.y0 >= -0.5, where
                assert box.y1 <= height + 0.5, where
    for upper, lower in itertools.pairwise(axes):
        ticks = min(t.get_window_extent(renderer).y0 for t in texts(upper)["x"])
        title = lower.title.get_window_extent(renderer).y1
        assert title < ticks, f"{lower.get_title()!r} runs into the x labels above it"


@pytest.fixture(scope="module")
def ctx():
    return kr.prepare(n_paths=300)


def test_the_fan_charts_and_the_published_figures_fit(ctx):
    targets = ctx.targets.resolve()
    labels = {t.id: rule_words(t, "vi") for t in targets}
    fig = fan_charts(ctx.forecast, targets, labels, "vi", synthetic=True)
    assert fig.get_layout_engine() is None
    assert_laid_out(fig)
    chart = kr.fan_chart(ctx)  # in the notebook's text/plain: its words, not its bytes
    assert repr(chart) == f"Chart(alt={chart.alt!r})"
    assert_laid_out(comparison_chart(ctx.published, ctx.forecast.unit, "Krông Bông", "vi"))


def test_the_record_is_drawn_over_the_targets_labels(ctx):
    # analyst trial: the label "2025: more than 60%" sat on the profitable shares of
    # 2023-2025 and its pale box hid them, the deciding 2025 figure among them
    targets = ctx.targets.resolve()
    labels = {t.id: rule_words(t, "en") for t in targets}
    fig = fan_charts(ctx.forecast, targets, labels, "en")
    for ax in fig.axes:
        (line,) = [line for line in ax.lines if line.get_label() == text("history", "en")]
        (points,) = [p for p in ax.lines if p.get_marker() == "o" and p.get_linestyle() == "None"]
        assert ax.texts
        assert all(points.get_zorder() > note.get_zorder() > line.get_zorder()
                   for note in ax.texts)


def test_panels_are_grouped_evenly_into_charts_a_printed_page_holds():
    assert [len(g) for g in panel_groups(list("abcdef"))] == [3, 3]
    assert [len(g) for g in panel_groups(list("abcdefg"))] == [4, 3]
    assert [len(g) for g in panel_groups(list("abcdefghi"))] == [3, 3, 3]
    assert panel_groups(list("abcd")) == [list("abcd")]
    assert panel_groups(list("a")) == [["a"]]
    # a chart of MAX_PANELS, as a page shows it (CSS px at 96 an inch), within an A4 page's
    # 275 mm between its margins (ktt.report.style's @page)
    tallest = MAX_PANELS * PANEL_HEIGHT * CHART_WIDTH / PANEL_WIDTH
    assert tallest <= 275 / 25.4 * 96


def test_six_indicators_are_drawn_as_two_charts_that_each_fit_a_printed_page():
    # the six of 1318/QĐ-TTg were one chart of 1,500 CSS px, cut across two printed pages
    # in the middle of the unions' panel, whose target the record misses
    ctx = kr.prepare(plan="vietnam-1318", n_paths=300)
    charts = kr.fan_chart(ctx)
    assert isinstance(charts, Charts)
    codes = list(dict.fromkeys(t.indicator for t in ctx.targets.resolve()))
    assert len(codes) == 6
    assert len(charts.parts) == 2
    for part, group in zip(charts.parts, (codes[:3], codes[3:]), strict=True):
        assert part.alt.startswith(text("alt_fan", "vi").format(
            codes=", ".join(text(c, "vi") for c in group)))
        height = int.from_bytes(part.png[20:24], "big")  # the PNG's IHDR
        assert height == round(3 * PANEL_HEIGHT * PANEL_DPI)
    page = charts._repr_html_()
    assert page.count("<div><img class='ktt-chart'") == 2
    assert repr(charts) == f"Charts({charts.parts[0]!r}, {charts.parts[1]!r})"


@pytest.mark.parametrize("plan", ["vietnam-1318", "vietnam-340"])
def test_no_target_label_covers_a_figure_of_the_record(plan):
    # the country's 35,041 HTX of 2025, just above the line of 35,000, hid under its label.
    # (Not the district's foundings: a record that straddles its line leaves a label no clear
    # place, and it takes the one that covers fewest.)
    ctx = kr.prepare(plan=plan, n_paths=300)
    targets = ctx.targets.resolve()
    labels = {t.id: rule_words(t, "vi") for t in targets}
    fig = fan_charts(ctx.forecast, targets, labels, "vi")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    covered = []
    for ax in fig.axes:
        record = [line for line in ax.lines if line.get_marker() == "o"]
        centres = ax.transData.transform(np.vstack([line.get_xydata() for line in record]))
        for note in ax.texts:
            if note.get_text() in labels.values():
                box = note.get_bbox_patch().get_window_extent(renderer)
                covered += [(note.get_text(), tuple(c)) for c in centres
                            if box.contains(*c)]
    assert covered == []


def test_the_backtest_charts_are_parts_that_each_fit_a_printed_page():
    # two panels an indicator: the district's four were one chart of 2,000 CSS px, cut across
    # three printed pages
    assert [len(g) for g in panel_groups(list("abcd"), panels_each=2)] == [2, 2]
    assert [len(g) for g in panel_groups(list("abc"), panels_each=2)] == [2, 1]
    ctx = kb.prepare(n_paths=200)
    codes = list(dict.fromkeys(score_table(ctx.backtest)["indicator"]))
    assert len(codes) == 4
    charts = kb.score_chart(ctx)
    assert isinstance(charts, Charts)
    for part in charts.parts:
        height = int.from_bytes(part.png[20:24], "big") / PANEL_DPI * CHART_WIDTH / PANEL_WIDTH
        assert height == pytest.approx(2 * 2 * PANEL_HEIGHT * CHART_WIDTH / PANEL_WIDTH, abs=1)
        assert height <= 275 / 25.4 * 96


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_the_sources_quote_is_named_in_words(lang):
    # the national plans' Vietnamese list of sources read "2019, tht_new: 9.500: ..."
    history = pd.DataFrame({"indicator": list(INDICATORS), "year": 2019, "value": 1.0,
                            "source": "s", "quote": "q", "derived": False})
    quoted = quoted_figures(history, lang)["s"]
    assert len(quoted) == len(INDICATORS)
    assert [line for line in quoted if re.search(r"\b[a-z]+_[a-z_]+\b", line)] == []


def test_the_figures_a_source_is_quoted_for_follow_the_catalogs_order_then_the_year():
    # sorted by code, 1318's first source read members, HTX, THT, member HTX, unions: no
    # order a reader could see in the words
    codes = ["unions_registered", "htx_members", "htx_new", "htx_registered", "htx_new"]
    history = pd.DataFrame({"indicator": codes, "year": [2022, 2022, 2021, 2022, 2020],
                            "value": 1.0, "source": "s", "quote": "q", "derived": False})
    quoted = quoted_figures(history, "en")["s"]
    assert [line.split(":")[0] for line in quoted] == [
        f"{year}, {text(code, 'en')}" for year, code in [
            (2020, "htx_new"), (2021, "htx_new"), (2022, "htx_registered"),
            (2022, "unions_registered"), (2022, "htx_members")]]


@pytest.mark.parametrize("top", [9.0, 250_000.0])
def test_wide_tick_labels_and_axis_labels_get_their_room(top):
    fig = Figure(figsize=(8, 5.6))
    axes = fig.subplots(2, 1)
    for ax, label in zip(axes, ["thang logarit", "%"], strict=True):
        ax.plot(np.arange(2015, 2031), np.linspace(0, top, 16))
        ax.set_title("Tỷ lệ hộ nông dân tham gia KTTT")
        ax.set_ylabel(label)
        number_axes(ax, "vi", False)
    axes[-1].set_xlabel("Năm")
    fit_layout(fig, axes)
    assert_laid_out(fig)
    left = fig.subplotpars.left
    narrow = Figure(figsize=(8, 5.6))
    ax = narrow.subplots(1, 1)
    ax.plot([2015, 2030], [0, 9])
    fit_layout(narrow, [ax])
    assert narrow.subplotpars.left < left  # room as wide as the labels, not a fixed margin


def test_a_target_year_before_the_record_keeps_whole_years_and_its_label_inside():
    # Đắk Lắk's 2020 targets against one figure of 2023: the panel was ticked 2019.5, 2020.0
    # (English decimals in a Vietnamese report), and the target's label, run leftward from
    # its line's end, crossed the y axis's tick labels
    ctx = kr.prepare(plan="dak-lak-7346", n_paths=300)
    targets = ctx.targets.resolve()
    labels = {t.id: rule_words(t, "vi") for t in targets}
    figures = [fan_charts(ctx.forecast, targets, labels, "vi"),
               comparison_chart(ctx.published, ctx.forecast.unit, "Tỉnh Đắk Lắk", "vi")]
    for fig in figures:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        for ax in fig.axes:
            years = [label.get_text() for label in shown(ax.xaxis, ax.get_xlim())]
            assert years
            assert all(year.isdigit() for year in years), years
            frame = ax.get_window_extent(renderer)
            for note in ax.texts:
                box = note.get_window_extent(renderer)
                assert box.x0 >= frame.x0 - 0.5, note.get_text()
                assert box.x1 <= frame.x1 + 0.5, note.get_text()


def test_a_past_target_year_without_a_figure_shows_the_estimate_its_probability_reads():
    # Đắk Lắk's 2020 targets on a record that skips 2020: the table gave probabilities and
    # intervals for 2020, and the chart, whose fans start after the last figure, drew nothing
    ctx = kr.prepare(plan="dak-lak-7346", n_paths=300)
    targets = ctx.targets.resolve()
    labels = {t.id: rule_words(t, "en") for t in targets}
    fig = fan_charts(ctx.forecast, targets, labels, "en")
    table = ctx.forecast.table.set_index("indicator")
    for ax in fig.axes:
        code = next(c for c in table.index if ax.get_title() == text(c, "en"))
        scale = 100 if kind_of(code) == "share" else 1
        bars = [segment for collection in ax.collections
                for segment in collection.get_segments() if len(segment) == 2]
        spans = {(x0, y0, y1) for (x0, y0), (_, y1) in bars}
        row = table.loc[code]
        assert (2020, row["lo80"] * scale, row["hi80"] * scale) in spans
        assert (2020, row["lo95"] * scale, row["hi95"] * scale) in spans
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert text("gap_estimate", "en") in legend


def test_a_log_panel_within_one_decade_marks_more_than_one_value():
    # the country's 599 and 1.246 dissolved HTX, alone in their panel, had the one mark 1.000
    ctx = kr.prepare(plan="dak-lak-7346", n_paths=300)
    fig = comparison_chart(ctx.published, ctx.forecast.unit, "Tỉnh Đắk Lắk", "vi")
    FigureCanvasAgg(fig).draw()
    panels = {ax.get_title(): shown(ax.yaxis, ax.get_ylim()) for ax in fig.axes}
    assert [label.get_text() for label in panels[text("htx_dissolved", "vi")]] == [
        "600", "700", "800", "900", "1.000"]
    assert all(len(labels) >= 2 for labels in panels.values()), panels


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_zero_below_a_log_scale_is_explained_where_the_scale_is(ctx, lang):
    # a year without foundings sits at a 0 mark under 1, 10, 100: the words beside the chart
    # said each mark is ten times the one below, which 0 is not, and a log scale has no 0
    fig = comparison_chart(ctx.published, ctx.forecast.unit, "Krông Bông", lang)
    FigureCanvasAgg(fig).draw()
    ticks = {label.get_text() for ax in fig.axes for label in shown(ax.yaxis, ax.get_ylim())}
    assert {"0", "1", "10"} <= ticks
    assert re.search(r"(?<![\d.,])0(?![\d.,])", text("beside_log", lang))


def test_a_figure_another_publisher_gives_is_listed_under_its_source_as_not_used():
    # the national reports quoted 119,710 THT in one source's phrase and charted 73,000,
    # without saying which the forecast used; a source that gave only such figures was not
    # listed at all
    ctx = kr.prepare(plan="vietnam-340", n_paths=100, lang="en")
    alliance = ctx.alternatives[ctx.alternatives["source"] == "lienminhhtxyenbai-2022"]
    assert not alliance.empty
    assert "lienminhhtxyenbai-2022" not in set(ctx.forecast.history["source"])
    page = html.unescape(kr.sources(ctx).data)
    assert "<code>lienminhhtxyenbai-2022</code>" in page
    assert ("2021, THT on record: 119,710: “đến hết năm 2021 cả nước có 119.710 THT (75.262 "
            "THT nông nghiệp, 44.448 THT phi nông nghiệp)” (not used: the preferred source "
            "gives 73,000)") in page
    # the statistics office's 29,378 HTX of 2022 is the ministry's figure too
    assert ("2022, HTX on record: 29,378: “tại thời điểm 31/12/2022, tổng số HTX hiện có của cả "
            "nước là 29.378 HTX” (the same as the preferred source's figure, which is used)"
            ) in page
    # the figures a source gives that are used say nothing of it
    used = quoted_figures(ctx.forecast.history, "en")
    assert not any("not used" in line for lines in used.values() for line in lines)
