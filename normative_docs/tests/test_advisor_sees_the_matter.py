"""The legal advisor reads what they review: the document or decision, and its files; their
workbench names their law firm."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from normative_docs import services as s
from normative_docs.tests.builders import draft, make_advisor

pytestmark = pytest.mark.django_db
d = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"


def test_the_advisor_reads_the_draft_under_review_and_downloads_its_file(
    client, clerk, advisor, outsider, justice_office
):
    counsel = make_advisor(advisor)
    doc = draft(clerk, justice_office, title="庙坝镇农村宅基地管理办法")
    doc.summary = "规范农村宅基地申请、审批和监管。"
    doc.drafter = "李文静"
    doc.save()
    s.document_consult(
        doc, by=clerk, comment_from=d(2020, 3, 3), comment_to=d(2020, 3, 10), note="收到意见3条"
    )
    review = s.document_send_for_review(doc, by=clerk, advisor=counsel, submitted_on=d(2020, 3, 11))
    client.force_login(clerk)
    client.post(
        f"/docs/reviews/{review.pk}/files/",
        {"title": "宅基地管理办法（送审稿）", "file": SimpleUploadedFile("送审稿.pdf", PDF)},
    )

    client.force_login(advisor)
    text = client.get(f"/docs/reviews/{review.pk}/").content.decode()
    assert "<h2>审查对象</h2>" in text
    assert "<dt>文件名称</dt><dd>庙坝镇农村宅基地管理办法</dd>" in text
    assert "<dt>起草单位</dt><dd>司法所</dd>" in text
    assert "规范农村宅基地申请、审批和监管。" in text
    assert "收到意见3条" in text
    file = review.files.get()
    assert f'<a href="/docs/reviews/files/{file.pk}/">宅基地管理办法（送审稿）</a>' in text
    response = client.get(f"/docs/reviews/files/{file.pk}/")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("送审稿.pdf")
    assert b"".join(response.streaming_content) == PDF
    # the document page itself stays the unit's: no link the advisor could not open
    assert f'href="/docs/documents/{doc.pk}/"' not in text

    # another unit's clerk cannot fetch it
    client.force_login(outsider)
    assert client.get(f"/docs/reviews/files/{file.pk}/").status_code == 404


def test_a_contract_sent_with_its_text_and_the_advisors_written_opinion(
    client, clerk, advisor, justice_office
):
    counsel = make_advisor(advisor)
    client.force_login(clerk)
    client.post(
        "/docs/reviews/new/",
        {
            "kind": "合同",
            "title": "村道硬化工程施工合同",
            "unit": justice_office.pk,
            "advisor": counsel.pk,
            "submitted_on": "2020-09-25",
            "files": SimpleUploadedFile("施工合同（草稿）.pdf", PDF),
        },
    )
    review = counsel.reviews.get()
    assert [f.title for f in review.files.all()] == ["施工合同（草稿）"]

    client.force_login(advisor)
    client.post(
        f"/docs/reviews/{review.pk}/files/",
        {"title": "法律意见书", "file": SimpleUploadedFile("意见书.pdf", PDF)},
    )
    assert [f.title for f in review.files.all()] == ["施工合同（草稿）", "法律意见书"]


def test_a_wrong_file_is_refused_with_the_reason(client, clerk, advisor, justice_office):
    review = s.review_send(
        by=clerk,
        kind="合同",
        advisor=make_advisor(advisor),
        unit=justice_office,
        title="租赁合同",
        submitted_on=d(2020, 9, 25),
    )
    client.force_login(clerk)
    response = client.post(
        f"/docs/reviews/{review.pk}/files/",
        {"title": "合同", "file": SimpleUploadedFile("合同.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "材料未上传：文件内容与扩展名.pdf不符" in response.content.decode()
    assert review.files.count() == 0


def test_the_advisors_workbench_names_their_law_firm(client, advisor):
    make_advisor(advisor)
    client.force_login(advisor)
    text = client.get("/").content.decode()
    assert "<dt>律师事务所</dt><dd>重庆渝东北律师事务所</dd>" in text
    assert "<dt>聘期</dt><dd>2016-01-01 至 2030-12-31</dd>" in text
    assert "未分配单位" not in text
