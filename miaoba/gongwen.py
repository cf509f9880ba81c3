"""Word documents in the official document format (公文格式), shared by the report and notices.

Format (GB/T 9704-2012 党政机关公文格式 §5.2, §7.3.3, §7.5; DOMAIN.md §8): A4; margins top
37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm); 22 lines a page;
title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋; heading "一、" 黑体, "（一）" 楷体; page
numbers 4号 (14 pt) 宋体 "— 1 —" under the type area, odd pages right and even pages left,
one character in from the edge; a line grid of 22 lines and characters condensed so a line
holds 28 (checked on LibreOffice's PDF); justified body text. Every font is set for East
Asian text too (w:eastAsia), the language is zh-CN and the theme's East Asian fonts Chinese,
or Word shows the Chinese in a fallback font.
"""

from __future__ import annotations

import datetime as dt
import io
import re

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
LINE_PITCH_TWIPS = 579  # the same, in twentieths of a point, for the document grid
CONDENSE_TWIPS = -5  # −0.25 pt between characters; see condense
INDENT = Pt(32)  # two characters of 3号


def font(run, name: str, size) -> None:
    """Set `run`'s font for Latin and East Asian text alike."""
    run.font.name = name
    run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def paragraph(doc, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_before=0):
    """Add a paragraph on the 22-line grid, justified (两端对齐), its first line indented two
    characters."""
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
    """Write "— N —" in 4号 宋体, one character in from the edge of the type area (GB/T 9704
    §7.5: 单页码居右空一字，双页码居左空一字)."""
    p = footer.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)  # a footer taller than 7 mm would push the body up
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = SIZE_PAGE
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = SIZE_PAGE
    else:
        p.paragraph_format.left_indent = SIZE_PAGE
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


def condense(rpr) -> None:
    """Narrow the character spacing by a quarter point (紧缩 0.25 磅), so 28 characters of 3号
    fit the 156 mm line in programs that put a glyph wider than its grid cell into two cells
    (LibreOffice); Word lays the characters on the grid either way."""
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.append(spacing)
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))


def document_grid(section) -> None:
    """Set the document grid (文档网格) of GB/T 9704 §5.2.2: 22 lines a page, 28 characters a
    line.

    The line pitch is 225 mm / 22 = 28.95 pt = 579 twentieths of a point. The characters are
    not put on a character grid: 28 characters of 3号 (16 pt) need 448 pt and the line has
    442.2 pt, and LibreOffice puts a glyph wider than its grid cell into two cells (14 a line).
    `condense` narrows them by a quarter point instead, so Word and LibreOffice both lay 28.
    """
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect.append(grid)


def chinese_defaults(doc) -> None:
    """Make the document Chinese: language zh-CN for Latin and East Asian text, and East Asian
    theme fonts 宋体 / 黑体 (python-docx's template says en-US and ja-JP, with Japanese theme
    fonts), so Word checks spelling and picks fonts for Chinese."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # The grid's character pitch is reckoned from the default size: 3号, as the body.
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))
    fonts = rpr.find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), FONT_BODY)
    fonts.set(qn("w:ascii"), FONT_BODY)
    fonts.set(qn("w:hAnsi"), FONT_BODY)
    for attr in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(attr), None)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), "zh-CN")
    theme_lang.set(qn("w:eastAsia"), "zh-CN")
    for part in doc.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            xml = part.blob.decode("utf-8")
            xml = re.sub(
                r'(<a:minorFont>.*?<a:ea typeface=")[^"]*"', r'\g<1>宋体"', xml, flags=re.S
            )
            xml = re.sub(
                r'(<a:majorFont>.*?<a:ea typeface=")[^"]*"', r'\g<1>黑体"', xml, flags=re.S
            )
            xml = re.sub(r'<a:font script="Jpan" typeface="[^"]*"/>\s*', "", xml)
            part._blob = xml.encode("utf-8")


def new_document():
    """Return an empty A4 document with the 公文 margins, page numbers and body font."""
    doc = Document()
    chinese_defaults(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # page number about 7 mm under the type area
    document_grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    condense(normal.element.get_or_add_rPr())
    # Every page holds its 22 lines: no line moves to the next page to avoid a widow.
    normal.paragraph_format.widow_control = False
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
