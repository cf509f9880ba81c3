"""The annual report as a Word file in the official document format, and its figures annex.

Format (GB/T 9704-2012 党政机关公文格式 §5.2, §7.3.3, §7.5; DOMAIN.md §8): A4; margins top
37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm); 22 lines a page;
title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋; heading "一、" 黑体, "（一）" 楷体; page
numbers 4号 (14 pt) 宋体 "— 1 —" under the type area, odd pages right and even pages left,
one character in from the edge; a document grid of 22 lines × 28 characters; justified body
text; the title broken between words. Every font is set for East Asian text too
(w:eastAsia), the language is zh-CN and the theme's East Asian fonts Chinese, or Word shows
the Chinese in a fallback font. Gaps (【待补充：…】) are highlighted yellow.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt

from miaoba.cleaning import xml_safe
from miaoba.gongwen import (  # noqa: F401 - the 公文 pieces are shared with the notices
    DOCX,
    FONT_BODY,
    FONT_H1,
    FONT_H2,
    FONT_TITLE,
    INDENT,
    SIZE_BODY,
    SIZE_TITLE,
    cn_date,
    new_document,
)
from miaoba.gongwen import font as _font
from miaoba.gongwen import paragraph as _paragraph
from miaoba.periods import span_text
from reports.tokens import GAP

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _runs(p, text: str, font: str, size=SIZE_BODY) -> None:
    """Add `text` to paragraph `p`; each 【待补充：…】 gap is highlighted yellow, so the author
    sees in Word what still has to be written. The text passes through `xml_safe` first."""
    text = xml_safe(text)
    pos = 0
    for match in GAP.finditer(text):
        if match.start() > pos:
            _font(p.add_run(text[pos : match.start()]), font, size)
        run = p.add_run(match.group(0))
        _font(run, font, size)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        pos = match.end()
    if pos < len(text):
        _font(p.add_run(text[pos:]), font, size)


def _add(p, text: str, font: str, size=SIZE_BODY):
    """Add `text` as one run of paragraph `p`, minus what XML cannot hold (`xml_safe`)."""
    run = p.add_run(xml_safe(text))
    _font(run, font, size)
    return run


def report_docx(doc_data: dict) -> bytes:
    """Return the report (as `reports.services.rendered` gives it) as .docx bytes.

    Every text put into the file (title, 发文字号, 主送机关, headings, body, 署名) passes through
    `miaoba.cleaning.xml_safe`, the cleaning the ledgers' exports use: a control character
    stored in a record (a work record's title quoted in the body) cannot make the export fail.
    """
    doc = new_document()

    if doc_data.get("doc_number"):
        p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _add(p, doc_data["doc_number"], FONT_BODY)
    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(35)
    lines = doc_data.get("title_lines") or [doc_data["title"]]
    for i, line in enumerate(lines):
        run = _add(title, line, FONT_TITLE, SIZE_TITLE)
        if i < len(lines) - 1:
            run.add_break()
    _paragraph(doc, indent=False)  # one blank line under the title (§7.3.3)
    if doc_data.get("addressee"):
        p = _paragraph(doc, indent=False)
        _add(p, f"{doc_data['addressee']}：", FONT_BODY)

    for part in doc_data["sections"]:
        level, heading, text = part["level"], part["heading"], part["text"]
        chunks = [c.strip() for c in text.split("\n") if c.strip()]
        if level == 1:
            p = _paragraph(doc)
            _runs(p, heading, FONT_H1)
            for chunk in chunks:
                _runs(_paragraph(doc), chunk, FONT_BODY)
            continue
        p = _paragraph(doc)
        if level == 2 and heading:
            _runs(p, heading, FONT_H2)
        if chunks:
            _runs(p, chunks[0], FONT_BODY)
        for chunk in chunks[1:]:
            _runs(_paragraph(doc), chunk, FONT_BODY)

    # 发文机关署名 and 成文日期, right-aligned with four characters' room (§7.3.5).
    _paragraph(doc, indent=False)
    for line in (doc_data.get("issuer", ""), cn_date(doc_data.get("written_on"))):
        if line:
            p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            p.paragraph_format.right_indent = INDENT * 2
            _add(p, line, FONT_BODY)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- The figures annex (数据附表) -------------------------------------------------------------


def _number(value):
    """Return a figure's value as a JSON- and Excel-friendly number (None stays None)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def annex_rows(report, data: dict, book=None) -> dict:
    """Return the annex of a report: its figures in the report's order, Chinese only.

    For each section in order, every figure of the areas that feed it (each area once, where it
    first appears), then the areas of figures the author inserted elsewhere; columns: 章节,
    类别, 数据项, 单位, and the values for the year, the cumulative span (when longer) and the
    year before. Rows whose values are all zero or empty are left out. Shape: {"columns":
    [str], "rows": [[str, str, str, str, number|None, ...]]}; JSON-safe (numbers as numbers).
    `book`: the page's FigureBook (a new one when not given).
    """
    from reports.areas import AREA_BY_KEY, AREAS, FigureBook

    book = book or FigureBook(report.as_of)
    year, span_from = report.year, report.span_from
    periods = [(year, year)]
    if span_from < year:
        periods.append((span_from, year))
    if year - 1 >= 2016:
        periods.append((year - 1, year - 1))
    columns = ["章节", "类别", "数据项", "单位"] + [span_text(a, b) for a, b in periods]
    names = {area.name: area.key for area in AREAS}
    order: list[tuple[str, str]] = []
    for section, spec in zip(data["sections"], report.sections.all(), strict=False):
        heading = section["heading"] or "开头"
        for key in spec.areas:
            if key in AREA_BY_KEY and key not in {k for _h, k in order}:
                order.append((heading, key))
    for used in data.get("used", []):
        key = names.get(used["area"])
        if key and key not in {k for _h, k in order}:
            order.append(("正文引用", key))
    rows = []
    for heading, key in order:
        computed = [book.area(key, a, b) for a, b in periods]
        for name, figure in computed[0].figures.items():
            values = [_number(c.figures[name].value) if name in c.figures else None
                      for c in computed]  # fmt: skip
            if not any(values):
                continue
            rows.append([heading, computed[0].name, figure.label, figure.unit, *values])
    return {"columns": columns, "rows": rows}


def _text_cell(cell, value: str) -> None:
    """Write `value` into `cell` as text: XML-safe, and never as a formula ("=1+1" stays text)."""
    cell.value = xml_safe(value)
    cell.data_type = "s"


def report_annex_xlsx(report, doc_data: dict, book=None) -> bytes:
    """Return the report's figures annex (数据附表) as .xlsx: report order, Chinese only, no
    all-zero rows, numbers as numbers (rates in % with one decimal), a frozen header row, and
    print set-up (A4 landscape, fit to width, header repeated on each page).

    Text cells (the title, headings, labels) are written as text (`data_type` "s"), minus what
    XML cannot hold: a title or heading starting with "=" is shown, never run as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.page import PageMargins

    annex = doc_data.get("annex") or annex_rows(report, doc_data, book)
    book = Workbook()
    sheet = book.active
    sheet.title = "数据附表"
    _text_cell(
        sheet["A1"], f"{doc_data['title']} 数据附表（数据截止{cn_date(doc_data.get('as_of'))}）"
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([None] * len(annex["columns"]))
    for cell, value in zip(sheet[2], annex["columns"], strict=True):
        _text_cell(cell, value)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in annex["rows"]:
        sheet.append([None if isinstance(v, str) else v for v in row])
        cells = sheet[sheet.max_row]
        for cell, value in zip(cells, row, strict=False):
            if isinstance(value, str):
                _text_cell(cell, value)
        unit = row[3]
        for cell in cells[4:]:
            if isinstance(cell.value, (int, float)):
                cell.number_format = "0.0" if unit == "%" else ("#,##0.00" if unit == "元" else "0")
    widths = (26, 14, 30, 6) + (12,) * (len(annex["columns"]) - 4)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + i)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Cached downloads -------------------------------------------------------------------------

# Bump when report_docx or report_annex_xlsx change what they write: older cached files are
# then not served again.
EXPORT_FORMAT = 1
EXPORT_CACHE_SECONDS = 7 * 24 * 3600


def export_key(report, fmt: str, book) -> str:
    """Return the cache key of `report`'s `fmt` download ("docx" or "xlsx").

    The bytes depend on the report row (header fields and, once final, its frozen copy: both
    move `version` and `updated_at`), its sections (each edit moves the section's `version`),
    the outline, `as_of`, the figures (the data version `book.version`) and EXPORT_FORMAT. A
    final report whose frozen copy holds what the file shows is keyed by that copy alone (no
    query). A draft costs the query for its sections that building the file needs anyway (the data
    version is read once per book).
    """
    import hashlib

    from django.db.models import prefetch_related_objects

    from reports.models import AnnualReport

    frozen = report.status == AnnualReport.Status.FINAL and report.frozen
    parts: tuple = (fmt, EXPORT_FORMAT, report.pk, report.version, str(report.updated_at))
    if not (frozen and (fmt == "docx" or "annex" in report.frozen)):
        # Prefetched: the same query serves `rendered` and the annex when the file is built.
        prefetch_related_objects([report], "sections")
        sections = [(s.pk, s.version) for s in report.sections.all()]
        parts += (report.outline, str(report.as_of), book.version, sections)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"report-export:{digest}"


def cached_export(report, fmt: str, book, build) -> bytes:
    """Return `report`'s `fmt` download from Django's cache, or `build()` it and keep it there.

    `book`: the request's FigureBook (its data version is read once and shared with `build`).
    """
    from django.core.cache import cache

    key = export_key(report, fmt, book)
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, EXPORT_CACHE_SECONDS)
    return content
