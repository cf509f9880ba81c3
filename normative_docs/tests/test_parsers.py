"""Reading 发文字号 and dates the way real documents print them."""

import datetime as dt

import pytest

from miaoba.ledger import CellError
from normative_docs.parsers import doc_date, parse_cn_date, parse_number


@pytest.mark.parametrize(
    "text",
    [
        "庙坝府发〔2020〕3号",
        "庙坝府发[2020]3号",
        "庙坝府发［2020］3号",
        "庙坝府发【2020】3号",
        "庙坝府发〔2020〕3 号",
        "庙坝府发 〔2020〕 3号",
        "庙坝府发〔2020〕3號",
        "庙坝府發〔2020〕3號",
        "庙坝府发〔2020〕03号",
        "庙坝府发〔2020〕第3号",
        "庙坝府发（２０２０）３号",
    ],
)
def test_number_variants_read_as_the_printed_form(text):
    assert str(parse_number(text)) == "庙坝府发〔2020〕3号"


def test_the_office_prefix_is_kept_apart_from_the_government_one():
    parsed = parse_number("庙坝府办发[2019]12号")

    assert (parsed.prefix, parsed.year, parsed.serial) == ("庙坝府办发", 2019, 12)


@pytest.mark.parametrize("text", ["庙坝府发2020-3", "〔2020〕3号", "庙坝府发〔20〕3号", "3号"])
def test_an_unreadable_number_says_what_it_read(text):
    with pytest.raises(ValueError) as exc:
        parse_number(text)
    assert f"“{text}”" in str(exc.value)


def test_a_serial_of_zero_and_an_unknown_prefix_are_refused():
    with pytest.raises(ValueError, match="序号不能为0"):
        parse_number("庙坝府发〔2020〕0号")
    with pytest.raises(ValueError, match="机关代字“城府发”不在可选范围"):
        parse_number("城府发〔2020〕3号", prefixes=("庙坝府发", "庙坝府办发"))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("二○二○年三月五日", dt.date(2020, 3, 5)),
        ("二〇二〇年三月五日", dt.date(2020, 3, 5)),
        ("二零二零年十二月三十一日", dt.date(2020, 12, 31)),
        ("二〇一九年十月二十日", dt.date(2019, 10, 20)),
        ("二〇一九年十一月十日", dt.date(2019, 11, 10)),
    ],
)
def test_dates_in_chinese_numerals(text, day):
    assert parse_cn_date(text) == day
    assert doc_date(text) == day


def test_ledger_dates_take_every_form():
    assert (
        doc_date("2020-03-05")
        == doc_date("2020年3月5日")
        == doc_date("20200305")
        == dt.date(2020, 3, 5)
    )
    assert doc_date(dt.datetime(2020, 3, 5, 0, 0)) == dt.date(2020, 3, 5)
    assert doc_date("") is None


def test_an_impossible_chinese_date_is_an_error():
    with pytest.raises(CellError):
        doc_date("二〇二〇年二月三十日")
