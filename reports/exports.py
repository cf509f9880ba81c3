"""The annual report as a Word file in the official document format, and its figures annex.

Format (GB/T 9704-2012 党政机关公文格式 §5.2, §7.3.3, §7.5; DOMAIN.md §8): A4; margins top
37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm); 22 lines a page;
title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋; heading "一、" 黑体, "（一）" 楷体; page
numbers 4号 (14 pt) 宋体 "— 1 —" under the type area, odd pages right, even pages left.
Every font is set for East Asian text too (w:eastAsia), or Word shows the Chinese in a
fallback font.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from miaoba.gongwen import (  # noqa: F401 - the 公文 pieces are shared with the notices
    DOCX,
    FONT_BODY,
    FONT_H1,
    FONT_H2,
    FONT_PAGE,
    FONT_TITLE,
    INDENT,
    LINE,
    SIZE_BODY,
    SIZE_PAGE,
    SIZE_TITLE,
)
from miaoba.gongwen import font as _font
from miaoba.gongwen import page_number_footer as _page_number_footer
from miaoba.gongwen import paragraph as _paragraph

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def report_docx(doc_data: dict) -> bytes:
    """Return the report (as `reports.services.rendered` gives it) as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # page number about 7 mm under the type area
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    normal = doc.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)

    if doc_data.get("doc_number"):
        p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _font(p.add_run(doc_data["doc_number"]), FONT_BODY, SIZE_BODY)
    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(35)
    _font(title.add_run(doc_data["title"]), FONT_TITLE, SIZE_TITLE)
    _paragraph(doc, indent=False)  # one blank line under the title (§7.3.3)
    if doc_data.get("addressee"):
        p = _paragraph(doc, indent=False)
        _font(p.add_run(f"{doc_data['addressee']}："), FONT_BODY, SIZE_BODY)

    for part in doc_data["sections"]:
        level, heading, text = part["level"], part["heading"], part["text"]
        if level == 1:
            p = _paragraph(doc)
            _font(p.add_run(heading), FONT_H1, SIZE_BODY)
            if text:
                for paragraph_text in text.split("\n"):
                    if paragraph_text.strip():
                        body = _paragraph(doc)
                        _font(body.add_run(paragraph_text.strip()), FONT_BODY, SIZE_BODY)
            continue
        chunks = [c.strip() for c in text.split("\n") if c.strip()] or [""]
        p = _paragraph(doc)
        if level == 2 and heading:
            _font(p.add_run(heading), FONT_H2, SIZE_BODY)
        _font(p.add_run(chunks[0]), FONT_BODY, SIZE_BODY)
        for chunk in chunks[1:]:
            body = _paragraph(doc)
            _font(body.add_run(chunk), FONT_BODY, SIZE_BODY)

    # 发文机关署名 and 成文日期, right-aligned with four characters' room (§7.3.5).
    _paragraph(doc, indent=False)
    for line in (doc_data.get("issuer", ""), _cn_date(doc_data.get("written_on"))):
        if line:
            p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            p.paragraph_format.right_indent = INDENT * 2
            _font(p.add_run(line), FONT_BODY, SIZE_BODY)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_annex_xlsx(doc_data: dict) -> bytes:
    """Return the report's figures annex: every figure with its key, period, value and unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "数据附表"
    sheet.append([f"{doc_data['title']} 数据附表（数据截止{_cn_date(doc_data.get('as_of'))}）"])
    sheet["A1"].font = Font(bold=True)
    headers = ["分组", "数据项", "统计期间", "数值", "单位", "键名（正文中写作 {键名}）"]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for key, figure in sorted(doc_data["figures"].items()):
        if key.startswith("period."):
            continue
        value = figure.value
        sheet.append(
            [
                figure.group,
                figure.label,
                figure.period,
                value if value is not None else "—",
                figure.unit,
                key,
            ]
        )
    for letter, width in zip("ABCDEF", (14, 30, 14, 12, 8, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
