"""The committed reports as a reader meets them, in a real browser (Debian's chromium driven by
Playwright): at desktop width, at 390 px and printed on A4. Screenshots and PDFs go to
``reports/screenshots/`` (not committed) for a reviewer to open.

Skipped, saying why, when Playwright or chromium is missing (``apt-get install chromium``;
``.ci/run`` installs it). ``KTT_CHROMIUM`` names another chromium binary."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from ktt import config

CHROMIUM = os.environ.get("KTT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = config.REPORTS / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = {"baseline": config.REPORTS / "baseline" / "report.html",
         "index": config.REPORTS / "index.html",
         "vietnam-1318": config.REPORTS / "vietnam-1318-baseline" / "report.html"}

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no chromium at {CHROMIUM}: the browser tests need Debian's chromium "
                "(apt-get install -y chromium) or KTT_CHROMIUM", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def viewport(request):
    return request.param


def load(browser, path: Path, viewport: str):
    """A new page of ``viewport``'s size with the report ``path`` loaded."""
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def open_page(browser, name: str, viewport: str):
    """A committed report (``PAGES``) loaded, with screenshots of its screen and whole."""
    page = load(browser, PAGES[name], viewport)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{viewport}.png")
    page.screenshot(path=SHOTS / f"{name}-{viewport}-full.png", full_page=True)
    return page


def box(page, selector: str) -> dict:
    found = page.locator(selector).first
    assert found.count(), f"{selector} not on the page"
    return found.bounding_box()


# a cell whose content is wider or taller than the cell itself: text cut off or spilling
OVERFLOWING = """() => [...document.querySelectorAll('td, th')]
  .filter(c => c.offsetParent !== null && (c.scrollWidth > c.clientWidth + 1))
  .map(c => c.innerText.slice(0, 60))"""

NO_ALT = """() => [...document.querySelectorAll('img')]
  .filter(i => !i.alt || !i.alt.trim() || i.alt.startsWith('No description'))
  .map(i => i.src.slice(0, 40))"""


def test_the_answer_is_on_the_first_screen(browser, viewport):
    page = open_page(browser, "baseline", viewport)
    height = VIEWPORTS[viewport]["height"]
    conclusion, table = box(page, ".ktt-conclusion"), box(page, "table.ktt-targets")
    assert conclusion["y"] + conclusion["height"] <= height, "the conclusion ends below the fold"
    assert table["y"] < height - 80, "the target table starts below the first screen"
    if viewport == "desktop":
        assert table["y"] + table["height"] <= height, "the whole table is not on the screen"
    text = page.inner_text(".ktt-conclusion")
    assert re.search(r"\d+%", text), "the conclusion gives no percentage"
    assert not re.search(r"\d\.\d", text), "English decimals in the Vietnamese report"
    negative_zero = re.search(r"(?<![\w.,])[-−]0(?:[.,]0+)?(?![\d.,])", page.inner_text("body"))
    assert negative_zero is None, negative_zero
    page.close()


def test_the_table_fits_a_phone(browser):
    page = open_page(browser, "baseline", "phone")
    table = box(page, "table.ktt-targets")
    assert table["x"] >= 0
    assert table["x"] + table["width"] <= 390 + 1, "the target table is wider than the phone"
    # a decided target's card has no empty interval or pace line
    shown_empty = page.evaluate("""[...document.querySelectorAll('table.ktt-targets td')]
        .filter(td => td.innerText.trim() === '-' && getComputedStyle(td).display !== 'none')
        .length""")
    assert shown_empty == 0
    page.close()


def test_on_a_phone_the_official_classes_stack_rather_than_scroll_sideways(browser):
    # seven columns scrolled sideways under a heading row taller than the screen's width
    page = open_page(browser, "baseline", "phone")
    rights = stacked_rows(page, "ktt-progress")
    assert len(rights) == len(page_labels())
    assert max(rights) <= 390
    # each class under its method's name, in its colour
    classes = page.locator("table.ktt-progress td[style*='background']").first
    assert classes.evaluate("td => getComputedStyle(td, '::before').content").startswith(
        '"Open SDG / Eurostat: ')
    page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_text_overflows_its_cell(browser, viewport, name):
    page = open_page(browser, name, viewport)
    assert page.evaluate(OVERFLOWING) == []
    page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_image_says_what_it_shows(browser, name):
    page = open_page(browser, name, "desktop")
    assert page.evaluate(NO_ALT) == []
    alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.alt)")
    if name == "baseline":
        assert len(alts) >= 2
        assert all("giả lập" in alt for alt in alts), "a synthetic chart's alt omits it"
    page.close()


def test_the_synthetic_warning_is_a_box_in_both_languages(browser):
    page = open_page(browser, "baseline", "desktop")
    warning = page.locator(".ktt-synthetic")
    assert "VÍ DỤ GIẢ LẬP" in warning.inner_text()
    assert "SYNTHETIC EXAMPLE" in warning.inner_text()
    assert box(page, ".ktt-synthetic")["y"] < 100
    page.close()


def pdf_pages(path: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the printed pages")
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def test_printed_on_a4_the_first_page_holds_the_conclusion_and_the_table(browser):
    page = browser.new_page()
    page.goto(PAGES["baseline"].as_uri())
    page.emulate_media(media="print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "baseline-a4.pdf"
    page.pdf(path=path, format="A4", print_background=True, prefer_css_page_size=True)
    page.close()
    pages = pdf_pages(path)
    first = pages[0]
    assert "Kết luận" in first
    labels = page_labels()
    assert labels
    assert [label for label in labels if label not in first] == []
    assert "Chú giải màu" in first  # the legend under the table
    # provenance starts a page of its own, its heading with it, and ends on it with the
    # command and the check (a row alone on a last page once)
    assert pages[-1].startswith("Nguồn gốc báo cáo Tệp số liệu")
    assert "Kiểm tra tái lập" in pages[-1]


def test_printed_the_sources_give_their_folded_quotes(browser):
    """On screen each source's figures and quotes are folded; paper cannot unfold them."""
    page = browser.new_page()
    page.goto(PAGES["vietnam-1318"].as_uri())
    quoted = page.evaluate(
        "[...document.querySelectorAll('details li')].map(li => li.textContent)")
    assert quoted, "the report has no folded quotes to print"
    assert not page.locator("details li").first.is_visible()  # folded on screen
    page.emulate_media(media="print")
    path = SHOTS / "vietnam-1318-a4.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=path, format="A4", print_background=True, prefer_css_page_size=True)
    page.close()
    printed = " ".join(pdf_pages(path))
    assert [q for q in quoted if " ".join(q.split()) not in printed] == []


def test_printed_no_chart_is_taller_than_a_page(browser):
    # the six fan charts of 1318/QĐ-TTg were one image of 1,500 px, which paper cut across
    # two pages in the middle of the unions' panel
    page = browser.new_page()
    page.goto(PAGES["vietnam-1318"].as_uri())
    page.emulate_media(media="print")
    heights = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => i.getBoundingClientRect().height)")
    page.close()
    assert len(heights) >= 2
    assert max(heights) <= 275 / 25.4 * 96  # A4 between the @page margins, in CSS px


def stacked_rows(page, css: str) -> list[float]:
    """The right edges of the rows of the table of class ``css``, once its box is found not to
    scroll sideways."""
    scrolled = page.evaluate(f"""[...document.querySelectorAll('.ktt-scroll')]
        .filter(d => d.querySelector('table.{css}'))
        .map(d => d.scrollWidth - d.clientWidth)""")
    assert scrolled == [0], f"table.{css} scrolls sideways"
    return page.evaluate(f"""[...document.querySelectorAll('table.{css} tbody tr')]
        .map(r => r.getBoundingClientRect().right)""")


def page_labels() -> list[str]:
    """The target labels of the committed baseline report, as the table shows them."""
    html = PAGES["baseline"].read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", label) for label in
            re.findall(r"<td class=[\"']ktt-target[\"'][^>]*>\s*<strong>([^<]+)</strong>",
                       html)]


# what a Vietnamese reader would trip on: English reasons, target ids, an English index
ENGLISH_REASON = re.compile(r"mixture of|fell back|scored forecasts|too few to backtest|"
                            r"weights proportional|always fell back|could not be fitted")
TARGET_ID = re.compile(r"\b(?:T20\d\d-[a-z-]+|D-rated-good)\b")


def test_the_vietnamese_report_says_why_each_model_in_vietnamese(browser):
    page = open_page(browser, "baseline", "desktop")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.title().startswith("VÍ DỤ GIẢ LẬP")
    tables = page.locator("table.dataframe", has_text="Lý do chọn (kiểm định quá khứ)")
    assert tables.count() == 1, "no model table"
    shown = tables.first.inner_text()
    assert ENGLISH_REASON.search(shown) is None, ENGLISH_REASON.search(shown)
    assert "dự báo được chấm điểm" in shown
    page.close()


def test_targets_are_named_in_words_in_the_progress_table_and_its_sentences(browser):
    page = open_page(browser, "baseline", "desktop")
    progress = page.inner_text("table.ktt-progress")
    assert TARGET_ID.search(progress) is None, TARGET_ID.search(progress)
    for label in page_labels():
        assert label in progress
    sentences = page.locator("li", has_text="theo xếp loại của các phương pháp SDG")
    sentences = sentences.all_inner_texts()
    assert sentences, "no sentence where a class and the probability disagree"
    assert [s for s in sentences if TARGET_ID.search(s)] == []
    page.close()


def test_the_scenario_is_named_and_described_in_vietnamese(browser):
    page = open_page(browser, "baseline", "desktop")
    assert "Kịch bản: Cơ sở" in page.inner_text(".ktt-facts")
    described = page.locator("h2", has_text="Kịch bản: Cơ sở")
    assert described.count() == 1
    description = page.locator("h2:has-text('Kịch bản: Cơ sở') + p").inner_text()
    assert description.startswith("Các chỉ tiêu của kế hoạch theo cách đọc mặc định")
    page.close()


def test_the_index_is_vietnamese_first(browser):
    page = open_page(browser, "index", "desktop")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.inner_text("h1") == ("Chỉ tiêu của từng kế hoạch: đã đạt, không đạt, hay xác "
                                     "suất đạt")
    headings = page.locator("thead th").all_inner_texts()
    assert headings[0].startswith("Báo cáo (kịch bản)")
    assert [h for h in headings if TARGET_ID.match(h)] == []
    answers = " ".join(page.locator("td.answer").all_inner_texts())
    assert "không đạt" in answers
    assert "missed" not in answers
    page.close()


def test_a_target_on_the_index_opens_the_report_at_its_row(browser):
    page = open_page(browser, "index", "desktop")
    page.locator("a[href='baseline/report.html#T2030-profitable']").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("baseline/report.html#T2030-profitable")
    row = page.locator("tr#T2030-profitable").bounding_box()
    # -1: the browser may scroll a fraction of a pixel past a row (-0.23 for T2030-profitable)
    assert -1 <= row["y"] < 50, "the target's row is not at the top of the screen"
    page.close()


def test_on_a_phone_the_index_keeps_the_report_in_view_while_its_targets_scroll(browser):
    page = open_page(browser, "index", "phone")
    first = page.locator("th.report").first
    before = first.bounding_box()["x"]
    page.evaluate("document.querySelector('.scroll').scrollLeft = 300")
    assert abs(first.bounding_box()["x"] - before) < 2, "the report's name scrolled away"
    page.close()


def built(notebook: str, overrides: dict, output: Path) -> Path:
    """A report of ``notebook`` not committed, built here in Vietnamese into ``output`` with
    the committed index beside it, as ``ktt report`` leaves them in ``reports/``."""
    from ktt.report.runner import run_report

    shutil.copy(PAGES["index"], output)
    return run_report("baseline", overrides, output, notebook=notebook,
                      progress=False) / "report.html"


@pytest.fixture(scope="module")
def backtest_page(tmp_path_factory) -> Path:
    """The backtest report (``built``)."""
    return built("backtest", {"n_paths": 200}, tmp_path_factory.mktemp("backtest"))


# the boxes that scroll sideways, and the stacked tables' rows wider than the screen
SIDEWAYS = """() => [...document.querySelectorAll('.ktt-scroll')]
  .filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.innerText.slice(0, 60))"""
STACK_ROWS = """() => [...document.querySelectorAll('table.ktt-stack tbody tr')]
  .map(r => r.getBoundingClientRect().right)"""


def test_on_a_phone_the_backtests_wide_tables_stack_and_nothing_scrolls_sideways(
        browser, backtest_page):
    page = load(browser, backtest_page, "phone")
    page.screenshot(path=SHOTS / "backtest-phone-full.png", full_page=True)
    assert page.evaluate(SIDEWAYS) == []
    assert page.evaluate(OVERFLOWING) == []
    rights = page.evaluate(STACK_ROWS)
    assert len(rights) > 20
    assert max(rights) <= 390, "a row of a stacked table is wider than the phone"
    # no heading row, each cell under its column's name, a dash left out
    assert not page.locator("table.ktt-stack thead").first.is_visible()
    first = page.locator("table.ktt-stack tbody td").first
    assert first.evaluate("td => getComputedStyle(td, '::before').content") == '"Chỉ số: "'
    shown_empty = page.evaluate("""[...document.querySelectorAll('table.ktt-stack td')]
        .filter(td => td.innerText.trim() === '-' && getComputedStyle(td).display !== 'none')
        .length""")
    assert shown_empty == 0
    page.close()
    # on a desktop they are tables as before, their headings above their columns
    page = load(browser, backtest_page, "desktop")
    assert page.locator("table.ktt-stack thead").first.is_visible()
    assert page.evaluate("""getComputedStyle(document.querySelector('table.ktt-stack td'),
        '::before').content""") == "none"
    assert page.evaluate(SIDEWAYS) == []
    page.close()


@pytest.fixture(scope="module")
def units_page(tmp_path_factory) -> Path:
    """The units dashboard on synthetic communes (``built``)."""
    return built("units", {"n_units": 6, "n_paths": 100}, tmp_path_factory.mktemp("units"))


def test_on_a_phone_the_units_dashboard_stacks_rather_than_scroll_sideways(browser, units_page):
    # the ranking's six columns, and the grid's and the totals' unit and seven targets,
    # scrolled sideways
    page = load(browser, units_page, "phone")
    # the grid of six units is folded there, the ranking right below its summary
    summary = page.locator("details.ktt-fold > summary")
    assert summary.inner_text().startswith("Bảng chi tiết: 6 đơn vị, 7 chỉ tiêu")
    assert not page.locator("table.ktt-grid").is_visible()
    assert box(page, "table.ktt-ranking")["y"] - box(page, "details.ktt-fold")["y"] < 900
    summary.click()
    assert page.locator("table.ktt-grid").is_visible()
    page.screenshot(path=SHOTS / "units-phone-full.png", full_page=True)
    assert page.evaluate(SIDEWAYS) == []
    for css in ("ktt-ranking", "ktt-grid", "ktt-totals"):
        rights = stacked_rows(page, css)
        assert rights
        assert max(rights) <= 390, f"a unit's block of table.{css} is wider than the phone"
        assert not page.locator(f"table.{css} thead").is_visible()
    need = page.locator("table.ktt-ranking tbody td").nth(1)
    assert need.evaluate("td => getComputedStyle(td, '::before').content") == (
        '"Chỉ tiêu cần đẩy nhanh nhất: "')
    # in the grid and the totals, the unit heads its block and each answer is under its
    # target in words, with its rule
    for css in ("ktt-grid", "ktt-totals"):
        heading = page.locator(f"table.{css} tbody th").first
        assert heading.evaluate("th => getComputedStyle(th, '::before').content") == "none"
        assert box(page, f"table.{css} tbody th")["width"] > 300, "the unit is not a heading"
        label = page.locator(f"table.{css} tbody td").first.evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert label.startswith('"HTX và THT thành lập mới/năm, 2025 (mỗi năm 2021')
    assert page.evaluate(OVERFLOWING) == []
    page.close()
    page = load(browser, units_page, "desktop")
    for css in ("ktt-ranking", "ktt-grid", "ktt-totals"):  # the grid open, unfolded
        assert page.locator(f"table.{css} thead").is_visible()
    assert page.evaluate(SIDEWAYS) == []
    page.close()


@pytest.mark.parametrize("name", ["baseline", "units", "backtest"])
def test_every_report_leads_back_to_the_index(browser, request, name):
    # a reader who opened one report had no way to the others
    path = PAGES["baseline"] if name == "baseline" else request.getfixturevalue(f"{name}_page")
    page = load(browser, path, "phone")
    link = page.locator("nav.ktt-home a")
    assert link.inner_text() == "← Mục lục các báo cáo"
    assert box(page, "nav.ktt-home a")["y"] < box(page, ".ktt-synthetic")["y"] < 100
    link.click()
    page.wait_for_load_state("load")
    assert page.url == (path.parent.parent / "index.html").as_uri()
    assert page.inner_text("h1").startswith("Chỉ tiêu của từng kế hoạch")
    page.close()
