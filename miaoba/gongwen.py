"""Word documents in the official document format (公文格式), shared by the report and notices.

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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from miaoba.cleaning import xml_safe

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋"  # 仿宋_GB2312 where the office has it installed
FONT_H1 = "黑体"
FONT_H2 = "楷体"
FONT_PAGE = "宋体"
SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE = Pt(14)  # 4号
LINE = Pt(28.95)  # 225 mm / 22 lines
INDENT = Pt(32)  # two characters of 3号


def font(run, name: str, size) -> None:
    """Set `run`'s font for Latin and East Asian text alike."""
    run.font.name = name
    run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def paragraph(doc, *, align=None, indent=True, space_before=0):
    """Add a paragraph on the 22-line grid, its first line indented two characters."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = INDENT
    if align is not None:
        p.alignment = align
    return p


def page_number_footer(footer, align) -> None:
    """Write "— N —" (4号 宋体, the PAGE field) into `footer`, aligned as given (§7.5)."""
    p = footer.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    font(p.add_run("— "), FONT_PAGE, SIZE_PAGE)
    run = p.add_run()
    font(run, FONT_PAGE, SIZE_PAGE)
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    font(p.add_run(" —"), FONT_PAGE, SIZE_PAGE)


def new_document():
    """Return an empty A4 document with the 公文 margins, page numbers and body font."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # page number about 7 mm under the type area
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    return doc


def cn_date(day: dt.date | None) -> str:
    """Return 2020年9月25日 (documents write dates so), "" for None."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def body(doc, text: str, *, indent: bool = True, align=None):
    """Add a body paragraph (3号 仿宋) of `text`, made safe for Word's XML."""
    p = paragraph(doc, indent=indent, align=align)
    font(p.add_run(xml_safe(text)), FONT_BODY, SIZE_BODY)
    return p
