"""The Word file in the official document format (GB/T 9704-2012), as Word and LibreOffice lay it.

The grid test renders the file to PDF with LibreOffice (as a reviewer would print it) and counts
what a full line and a full page hold: 28 characters, 22 lines.
"""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from reports.exports import report_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _doc(**extra) -> dict:
    data = {
        "title": "城口县庙坝镇人民政府2021年法治政府建设工作情况报告",
        "title_lines": ["城口县庙坝镇人民政府2021年法治政府建设", "工作情况报告"],
        "doc_number": "",
        "addressee": "县司法局",
        "issuer": "城口县庙坝镇人民政府",
        "written_on": None,
        "sections": [
            {"level": 1, "heading": "一、主要举措和成效", "text": ""},
            {"level": 2, "heading": "（一）依法全面履行政府职能。", "text": "设服务窗口【待补充：服务窗口数（2021年）】个。"},
        ],
    }  # fmt: skip
    data.update(extra)
    return data


def _parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_word_file_is_chinese_with_grid_indented_page_numbers_and_a_whole_word_title():
    content = report_docx(_doc())
    doc = Document(io.BytesIO(content))
    grid = doc.sections[0]._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"
    parts = _parts(content)
    assert '<w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in parts["word/styles.xml"]
    assert 'w:eastAsia="zh-CN"' in re.search(
        r"<w:themeFontLang[^>]*>", parts["word/settings.xml"]
    ).group(0)
    theme = parts["word/theme/theme1.xml"]
    assert '<a:ea typeface="宋体"/>' in theme and '<a:ea typeface="黑体"/>' in theme
    assert 'script="Jpan"' not in theme
    # Odd pages: right, one character (4号, 14 pt) in; even pages: left, one character in.
    odd, even = doc.sections[0].footer.paragraphs[0], doc.sections[0].even_page_footer.paragraphs[0]
    assert (odd.alignment, odd.paragraph_format.right_indent.pt) == (2, 14)
    assert (even.alignment, even.paragraph_format.left_indent.pt) == (0, 14)
    # The title breaks between words, where the author (or the default) put the break.
    title = next(p for p in doc.paragraphs if "法治政府建设" in p.text)
    assert title.text == "城口县庙坝镇人民政府2021年法治政府建设\n工作情况报告"
    # A gap is highlighted, so the author sees it in Word.
    gap = next(r for p in doc.paragraphs for r in p.runs if r.text.startswith("【待补充"))
    assert (
        gap.text == "【待补充：服务窗口数（2021年）】" and gap.font.highlight_color == 7
    )  # yellow


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_28_characters_a_line_and_22_lines_a_page(tmp_path):
    text = "\n".join(f"第{i:02d}行" + "汉" * 60 for i in range(1, 40))
    docx = tmp_path / "grid.docx"
    docx.write_bytes(report_docx(_doc(sections=[{"level": 2, "heading": "", "text": text}])))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(tmp_path / "grid.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    lines = [line.strip() for line in layout.splitlines() if "汉" in line]
    assert len(lines) == 22
    # Each paragraph: "第NN行" and 22 characters after the two-character indent, then a full
    # line of 28, then the 10 left over.
    assert {line.count("汉") for line in lines if line.startswith("第")} == {22}
    assert {len(line) for line in lines if not line.startswith("第")} == {28, 10}
