"""Reading 发文字号 and dates the way real documents and paper registers print them.

A paper register (登记簿) typed over the years holds `庙坝府发〔2020〕3号` in many hands:
`庙坝府发[2020]3号`, `庙坝府发［2020］3号`, `庙坝府发【2020】3号`, `庙坝府发〔2020〕3 号`,
`庙坝府發〔2020〕3號`, `庙坝府发〔2020〕03号`, `庙坝府发〔2020〕第3号`, with full-width digits
or spaces anywhere; and dates written out as `二○二○年三月五日` or `二〇二〇年三月五日`, the
way a document's 成文日期 is printed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from miaoba.ledger import CellError, cell_date, cell_text

# Brackets around the year: 〔〕 is right (GB/T 9704-2012 §7.2.4); the others are common typing.
_OPEN = "〔[［【(（〈<《{"
_CLOSE = "〕]］】)）〉>》}"
_TRADITIONAL = str.maketrans({"號": "号", "發": "发", "辦": "办", "規": "规"})
_NUMBER_RE = re.compile(r"^(?P<prefix>\D+?)〔(?P<year>\d{4})〕第?0*(?P<serial>\d+)号$")


@dataclass(frozen=True)
class ParsedNumber:
    """A 发文字号 read into its parts: 机关代字, year and serial."""

    prefix: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def normalise_number(text: str) -> str:
    """Return a 发文字号 in its printed form, or the cleaned text when it has no such shape.

    Full-width letters and digits become ASCII (NFKC), spaces go, any bracket pair around the
    year becomes 〔〕, traditional 號/發/辦 become 号/发/办.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text).translate(_TRADITIONAL)
    for ch in _OPEN:
        text = text.replace(ch, "〔")
    for ch in _CLOSE:
        text = text.replace(ch, "〕")
    return text


def parse_number(text: str, *, prefixes: tuple[str, ...] | None = None) -> ParsedNumber:
    """Read a 发文字号 such as 庙坝府发〔2020〕3号 in any of the variants of the module doc.

    `prefixes` limits the 机关代字 accepted. Raises ValueError with a Chinese message showing the
    text when it cannot be read, the year is implausible or the serial is 0.
    """
    original = (text or "").strip()
    match = _NUMBER_RE.match(normalise_number(original))
    if not match:
        raise ValueError(
            f"无法识别文号“{original}”，应为“庙坝府发〔2020〕3号”这样的格式"
            "（机关代字、〔年份〕、序号、号）。"
        )
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    if prefixes is not None and prefix not in prefixes:
        raise ValueError(
            f"文号“{original}”的机关代字“{prefix}”不在可选范围：{'、'.join(prefixes)}。"
        )
    if not 1980 <= year <= 2100:
        raise ValueError(f"文号“{original}”的年份{year}不对，请核对。")
    if serial == 0:
        raise ValueError(f"文号“{original}”的序号不能为0。")
    return ParsedNumber(prefix, year, serial)


_CN_DIGITS = {
    "〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0, "◯": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_DATE_RE = re.compile(r"^(?P<y>[^年]{4})年(?P<m>[^月]{1,3})月(?P<d>[^日]{1,3})日?$")


def _cn_small(text: str) -> int:
    """Read 一 .. 三十一 (十, 十二, 二十, 二十三, 三十一) or plain digits."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
        return value
    if len(text) == 1:
        return _CN_DIGITS[text]
    raise KeyError(text)


def parse_cn_date(text: str) -> dt.date:
    """Read a date written in Chinese numerals: 二○二○年三月五日, 二〇二〇年十二月三十一日.

    The year is four digits each written 〇/○/零 一 .. 九 (or Arabic); the month and day
    written 一 .. 三十一. Raises ValueError (Chinese message with the text) otherwise.
    """
    original = (text or "").strip()
    cleaned = re.sub(r"\s+", "", original)
    match = _CN_DATE_RE.match(cleaned)
    try:
        if not match:
            raise KeyError(cleaned)
        year = int("".join(str(_CN_DIGITS.get(ch, ch)) for ch in match["y"]))
        return dt.date(year, _cn_small(match["m"]), _cn_small(match["d"]))
    except (KeyError, ValueError):
        raise ValueError(f"无法识别日期“{original}”。") from None


def doc_date(value: Any) -> dt.date | None:
    """Return a date from a ledger cell: a date cell, 2021-03-05, 2021年3月5日, 二○二一年三月五日.

    Empty gives None; anything else raises CellError with the text.
    """
    try:
        return cell_date(value)
    except CellError as exc:
        text = cell_text(value)
        if re.search(r"[〇○零一二三四五六七八九十]", text):
            try:
                return parse_cn_date(text)
            except ValueError:
                pass
        raise exc from None
