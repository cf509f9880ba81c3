"""The register (规范性文件登记簿) and review ledger (法律顾问审查台账) in xlsx and csv."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from miaoba.ledger import render_csv, render_xlsx
from miaoba.tests.ledger_files import xlsx_bytes
from normative_docs import services as s
from normative_docs.models import Document, LegalReview
from normative_docs.resources import DocumentResource, ReviewResource, export_dataset, import_ledger
from normative_docs.tests.builders import draft, make_advisor, published, registered

d = dt.date
pytestmark = pytest.mark.django_db

FIELDS = [
    "number", "register_number", "title", "issuer", "drafting_unit_id", "reviewed_on", "reviewer",
    "review_conclusion", "meeting_name", "meeting_on", "signed_by", "signed_on", "registered_on",
    "published_on", "effective_on", "validity_years", "expires_on", "filed_on", "filed_to",
    "status", "ended_on", "end_reason", "year", "serial", "register_year", "register_serial",
]  # fmt: skip


def _register(clerk, unit):
    a = published(clerk, unit, on=d(2020, 3, 14))
    s.document_file(a, by=clerk, filed_on=d(2020, 3, 30), filed_to="城口县人民政府")
    published(clerk, unit, on=d(2020, 4, 14), title="庙坝镇产业扶持资金管理暂行办法")
    void = registered(clerk, unit, on=d(2020, 5, 12))
    s.document_withdraw(void, by=clerk, on=d(2020, 5, 13), reason="内容需调整")
    draft(clerk, unit)  # not numbered: not in the register
    return Document.objects.exclude(number="")


def _snapshot():
    return sorted(Document.objects.exclude(number="").values_list(*FIELDS))


def test_register_columns_are_the_chinese_headers_in_order():
    assert DocumentResource.headers()[:6] == [
        "发文字号",
        "登记号",
        "文件名称",
        "制定机关",
        "起草单位",
        "起草人",
    ]
    assert "失去效力或撤回日期" in DocumentResource.headers()


def test_the_register_round_trips_through_xlsx(clerk, justice_office):
    _register(clerk, justice_office)
    before = _snapshot()
    data = render_xlsx(export_dataset("documents", Document.objects.all()))

    again = import_ledger("documents", data, "登记簿.xlsx", user=clerk)
    assert again.is_valid and again.created == 0 and again.unchanged == 3

    Document.objects.exclude(number="").delete()
    plan = import_ledger("documents", data, "登记簿.xlsx", user=clerk)
    assert plan.errors == [] and plan.created == 3
    assert _snapshot() == before


def test_export_writes_dates_as_dates_and_numbers_as_text(clerk, justice_office):
    _register(clerk, justice_office)
    sheet = load_workbook(
        io.BytesIO(render_xlsx(export_dataset("documents", Document.objects.all())))
    ).active
    rows = list(sheet.iter_rows(values_only=True))

    assert len(rows) == 1 + 3
    assert rows[1][0] == "庙坝府发〔2020〕1号" and rows[1][1] == "庙坝规登〔2020〕1号"
    assert isinstance(rows[1][15], dt.datetime)  # 印发日期 as a date cell
    assert rows[3][21] == "已撤回（文号作废）"


def _row(**values):
    row = dict.fromkeys(DocumentResource.headers(), "")
    row.update(
        {
            "文件名称": "庙坝镇农村宅基地管理办法",
            "起草单位": "司法所",
            "印发日期": "2020-03-05",
            "状态": "",
        }
    )
    row.update(values)
    return [row[h] for h in DocumentResource.headers()]


def test_a_paper_register_with_number_variants_and_chinese_dates_imports(clerk, justice_office):
    data = xlsx_bytes(
        [
            DocumentResource.headers(),
            _row(
                发文字号="庙坝府发〔2019〕1号",
                印发日期="二○一九年三月五日",
                报备日期="二〇一九年三月二十日",
            ),
            _row(发文字号="庙坝府发[2019]2号", 文件名称="庙坝镇河长制工作实施细则"),
            _row(发文字号="庙坝府发［2019］3号", 文件名称="甲"),
            _row(发文字号="庙坝府办发【2019】1号", 文件名称="乙"),
            _row(发文字号="庙坝府发〔2019〕4號", 文件名称="丙"),
            _row(发文字号="庙坝府发〔2019〕5 号", 文件名称="丁", 登记号="庙坝规登[2019]5号"),
        ]
    )

    plan = import_ledger("documents", data, "纸质登记簿.xlsx", user=clerk)

    assert plan.errors == []
    assert sorted(Document.objects.values_list("number", flat=True)) == [
        "庙坝府办发〔2019〕1号",
        "庙坝府发〔2019〕1号",
        "庙坝府发〔2019〕2号",
        "庙坝府发〔2019〕3号",
        "庙坝府发〔2019〕4号",
        "庙坝府发〔2019〕5号",
    ]
    first = Document.objects.get(number="庙坝府发〔2019〕1号")
    assert first.published_on == d(2019, 3, 5) and first.filed_on == d(2019, 3, 20)
    assert first.status == Document.Status.FILED
    assert first.effective_on == d(2019, 4, 4) and first.expires_on == d(2024, 4, 3)
    assert (
        Document.objects.get(number="庙坝府发〔2019〕5号").register_number == "庙坝规登〔2019〕5号"
    )
    # the same file again creates nothing new
    again = import_ledger("documents", data, "纸质登记簿.xlsx", user=clerk)
    assert again.created == 0 and Document.objects.count() == 6


def test_an_unreadable_number_is_a_row_error_showing_the_text_and_nothing_is_written(
    clerk, justice_office
):
    data = xlsx_bytes(
        [
            DocumentResource.headers(),
            _row(发文字号="庙坝府发〔2019〕1号"),
            _row(发文字号="庙坝府发2019-2", 文件名称="乙"),
            _row(发文字号="庙坝府发〔2019〕3号", 文件名称="丙", 印发日期="2019年2月30日"),
        ]
    )

    plan = import_ledger("documents", data, "登记簿.xlsx", user=clerk)

    assert [(e.row, e.column) for e in plan.errors] == [(3, "发文字号"), (4, "印发日期")]
    assert "“庙坝府发2019-2”" in plan.errors[0].message
    assert Document.objects.count() == 0


def test_a_number_twice_in_the_file_is_refused(clerk, justice_office):
    data = xlsx_bytes(
        [
            DocumentResource.headers(),
            _row(发文字号="庙坝府发〔2019〕1号"),
            _row(发文字号="庙坝府发[2019]1号"),
        ]
    )

    plan = import_ledger("documents", data, "登记簿.xlsx", user=clerk)

    assert [(e.row, e.message) for e in plan.errors] == [
        (3, "与第2行是同一条记录，请删除重复的行。")
    ]


def test_registration_continues_after_the_highest_imported_serial(clerk, justice_office):
    data = xlsx_bytes(
        [
            DocumentResource.headers(),
            _row(发文字号="庙坝府发〔2020〕7号", 登记号="庙坝规登〔2020〕9号"),
        ]
    )
    import_ledger("documents", data, "登记簿.xlsx", user=clerk)

    doc = registered(clerk, justice_office, on=d(2020, 6, 1))

    assert doc.number == "庙坝府发〔2020〕8号"
    assert doc.register_number == "庙坝规登〔2020〕10号"


def test_a_clerk_cannot_import_another_units_documents(outsider, justice_office):
    data = xlsx_bytes([DocumentResource.headers(), _row(发文字号="庙坝府发〔2020〕1号")])

    plan = import_ledger("documents", data, "登记簿.xlsx", user=outsider)

    assert [e.message for e in plan.errors] == ["您不属于“司法所”，不能导入该单位的记录。"]


def _reviews(clerk, advisor, unit):
    counsel = make_advisor(advisor)
    doc = published(clerk, unit, on=d(2020, 3, 14))
    contract = s.review_send(
        by=clerk,
        kind="合同",
        advisor=counsel,
        unit=unit,
        title="村道硬化工程施工合同",
        submitted_on=d(2020, 9, 25),
    )
    s.review_complete(
        contract,
        by=advisor,
        completed_on=d(2020, 10, 22),
        conclusion="修改后通过",
        opinions=["增加质量保证金条款", "明确违约责任"],
    )
    s.review_record_adoption(
        contract, by=clerk, adopted={o.pk: o.order == 1 for o in contract.opinions.all()}
    )
    s.review_send(
        by=clerk,
        kind="规范性文件",
        advisor=counsel,
        unit=unit,
        document=doc,
        submitted_on=d(2020, 11, 2),
    )
    return counsel


def test_the_review_ledger_round_trips_with_opinions_and_adoption(clerk, advisor, justice_office):
    _reviews(clerk, advisor, justice_office)
    data = render_csv(export_dataset("reviews", LegalReview.objects.all()))
    text = data.decode("utf-8-sig")
    assert text.startswith("审查类别,审查事项,关联发文字号,送审单位,法律顾问")
    assert "1. 增加质量保证金条款\n2. 明确违约责任" in text
    assert "是、否" in text

    assert import_ledger("reviews", data, "审查台账.csv", user=clerk).unchanged == 2
    LegalReview.objects.all().delete()
    plan = import_ledger("reviews", data, "审查台账.csv", user=clerk)

    assert plan.errors == [] and plan.created == 2
    contract = LegalReview.objects.get(kind="合同")
    assert contract.working_days == 15
    assert [(o.text, o.adopted) for o in contract.opinions.all()] == [
        ("增加质量保证金条款", True),
        ("明确违约责任", False),
    ]
    assert LegalReview.objects.get(kind="规范性文件").document.number == "庙坝府发〔2020〕1号"


def test_misaligned_adoption_marks_are_refused(clerk, advisor, justice_office):
    make_advisor(advisor)
    row = dict.fromkeys(ReviewResource.headers(), "")
    row.update(审查类别="合同", 审查事项="合同甲", 送审单位="司法所", 法律顾问="陈律师", 送审日期="2020-09-25",
               完成日期="2020-10-09", 审查结论="通过", 建议意见="一、甲；二、乙", 采纳情况="是")  # fmt: skip
    data = xlsx_bytes([ReviewResource.headers(), [row[h] for h in ReviewResource.headers()]])

    plan = import_ledger("reviews", data, "审查台账.xlsx", user=clerk)

    assert [e.column for e in plan.errors] == ["采纳情况"]
    assert "共有2条建议意见，采纳情况却有1项" in plan.errors[0].message


def test_commands_export_and_dry_run_import_the_register(tmp_path, clerk, justice_office):
    _register(clerk, justice_office)
    path = tmp_path / "登记簿.xlsx"
    out = io.StringIO()

    call_command("export_ledger", "documents", str(path), stdout=out)
    Document.objects.exclude(number="").delete()
    call_command(
        "import_ledger", "documents", str(path), "--dry-run", "--user", "clerk", stdout=out
    )

    assert Document.objects.exclude(number="").count() == 0
    call_command("import_ledger", "documents", str(path), "--user", "clerk", stdout=out)
    assert Document.objects.exclude(number="").count() == 3
