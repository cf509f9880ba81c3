"""The pages as a clerk, an outsider, an advisor and a leader meet them."""

import datetime as dt

import pytest
from django.urls import reverse

from miaoba.models import User
from miaoba.roles import ADVISOR
from normative_docs import services as s
from normative_docs.models import Decision, Document, LegalReview, ReviewOpinion
from normative_docs.tests.builders import draft, make_advisor, published, signed

d = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def second_advisor(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(
        username="advisor2", password="x", last_name="刘", first_name="律师"
    )
    user.groups.add(Group.objects.get(name=ADVISOR))
    return user


LIST_URLS = [
    "/docs/documents/",
    "/docs/reviews/",
    "/docs/decisions/",
    "/docs/cleanups/",
    "/docs/advisors/",
]


@pytest.mark.parametrize("url", LIST_URLS + ["/docs/documents/new/", "/docs/decisions/new/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("clerk", "/docs/documents/", 200),
        ("clerk", "/docs/reviews/", 200),
        ("clerk", "/docs/decisions/", 200),
        ("clerk", "/docs/cleanups/", 200),
        ("clerk", "/docs/advisors/new/", 403),
        ("advisor", "/docs/documents/", 403),
        ("advisor", "/docs/decisions/", 403),
        ("advisor", "/docs/reviews/", 200),
        ("advisor", "/docs/reviews/new/", 403),
        ("leader", "/docs/documents/", 200),
        ("leader", "/docs/documents/new/", 403),
        ("administrator", "/docs/advisors/new/", 200),
        ("administrator", "/docs/documents/new/", 403),
    ],
)
def test_each_role_reaches_only_its_pages(client, request, who, url, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == status


def test_menu_links_reverse():
    assert reverse("normative_docs:document_list") == "/docs/documents/"
    assert reverse("normative_docs:review_list") == "/docs/reviews/"
    assert reverse("normative_docs:decision_list") == "/docs/decisions/"


def test_an_outsider_gets_404_for_another_units_document(client, clerk, outsider, justice_office):
    doc = draft(clerk, justice_office)
    client.force_login(outsider)

    assert client.get(f"/docs/documents/{doc.pk}/").status_code == 404
    assert client.get(f"/docs/documents/{doc.pk}/consult/").status_code == 404
    assert doc.title not in client.get("/docs/documents/").content.decode()


def test_an_advisor_sees_and_edits_only_the_reviews_sent_to_them(
    client, clerk, advisor, second_advisor, justice_office
):
    mine = make_advisor(advisor)
    theirs = make_advisor(second_advisor, name="刘律师", licence="15002201610999999")
    own = s.review_send(
        by=clerk,
        kind="合同",
        advisor=mine,
        unit=justice_office,
        title="村道硬化工程施工合同",
        submitted_on=d(2020, 9, 25),
    )
    other = s.review_send(
        by=clerk,
        kind="合同",
        advisor=theirs,
        unit=justice_office,
        title="垃圾清运服务采购合同",
        submitted_on=d(2020, 9, 25),
    )
    client.force_login(advisor)

    page = client.get("/docs/reviews/").content.decode()
    assert "村道硬化工程施工合同" in page and "垃圾清运服务采购合同" not in page
    assert client.get(f"/docs/reviews/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/docs/reviews/{other.pk}/complete/",
            {"completed_on": "2020-10-09", "conclusion": "通过"},
        ).status_code
        == 404
    )
    response = client.post(
        f"/docs/reviews/{own.pk}/complete/",
        {
            "completed_on": "2020-10-22",
            "conclusion": "修改后通过",
            "opinions": "增加质量保证金条款\n\n明确违约责任",
        },
        follow=True,
    )
    assert "已登记审查结论：修改后通过" in response.content.decode()
    assert list(ReviewOpinion.objects.filter(review=own).values_list("text", flat=True)) == [
        "增加质量保证金条款",
        "明确违约责任",
    ]
    other.refresh_from_db()
    assert other.completed_on is None


def test_a_clerk_takes_a_document_from_draft_to_its_number(client, clerk, justice_office):
    client.force_login(clerk)
    response = client.post(
        "/docs/documents/new/",
        {
            "title": "庙坝镇农村宅基地管理办法",
            "issuer": "庙坝府发",
            "drafting_unit": justice_office.pk,
            "drafted_on": "2020-03-02",
        },
    )
    doc = Document.objects.get()
    assert response["Location"] == f"/docs/documents/{doc.pk}/"
    steps = [
        (
            "record_review",
            {"reviewed_on": "2020-03-09", "reviewer": "司法所", "conclusion": "通过"},
        ),
        ("discuss", {"meeting_name": "镇政府常务会议", "meeting_on": "2020-03-12", "passed": "1"}),
        ("sign", {"signed_by": "王镇长", "signed_on": "2020-03-13"}),
        ("register", {"registered_on": "2020-03-16"}),
    ]
    for step, data in steps:
        data["version"] = Document.objects.get(pk=doc.pk).version
        response = client.post(f"/docs/documents/{doc.pk}/{step}/", data, follow=True)
        assert response.status_code == 200
    assert (
        "已登记编号：发文字号 庙坝府发〔2020〕1号，登记号 庙坝规登〔2020〕1号"
        in response.content.decode()
    )


def test_a_refused_step_keeps_what_was_typed_and_says_why(client, clerk, justice_office):
    doc = draft(clerk, justice_office)
    s.document_record_review(
        doc, by=clerk, reviewed_on=d(2020, 3, 9), reviewer="司法所", conclusion="通过"
    )
    client.force_login(clerk)

    response = client.post(
        f"/docs/documents/{doc.pk}/discuss/",
        {
            "meeting_name": "党委会",
            "meeting_on": "2020-03-05",
            "passed": "1",
            "version": Document.objects.get(pk=doc.pk).version,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "日期不能早于合法性审核日期（2020年3月9日）" in page
    assert 'value="党委会"' in page


def test_a_step_not_possible_now_redirects_with_a_warning(client, clerk, justice_office):
    doc = draft(clerk, justice_office)
    client.force_login(clerk)

    response = client.get(f"/docs/documents/{doc.pk}/register/", follow=True)

    assert "不能办理“登记编号”" in response.content.decode()


def test_a_decision_blocked_by_a_missing_review_says_so_on_the_page(client, clerk, justice_office):
    decision = s.decision_start(
        by=clerk, title="场镇污水管网改造", unit=justice_office, started_on=d(2021, 3, 1)
    )
    client.force_login(clerk)

    response = client.post(
        f"/docs/decisions/{decision.pk}/discuss/",
        {"meeting_name": "镇政府常务会议", "meeting_on": "2021-05-10", "adopted": "1"},
    )

    assert (
        "以下必经程序尚未完成：公众参与、专家论证、风险评估、合法性审查"
        in response.content.decode()
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_PROGRESS


def test_a_clean_up_page_saves_outcomes_and_finishes(client, clerk, justice_office):
    docs = [
        published(clerk, justice_office, on=d(2018, 3, 1) + dt.timedelta(days=30 * i))
        for i in range(2)
    ]
    client.force_login(clerk)
    response = client.post(
        "/docs/cleanups/new/",
        {"title": "2019年清理", "started_on": "2019-09-02", "documents": [x.pk for x in docs]},
    )
    campaign_url = response["Location"]
    items = list(docs[0].cleanup_items.all()) + list(docs[1].cleanup_items.all())
    client.post(
        f"{campaign_url}record/",
        {f"outcome_{items[0].pk}": "继续有效", f"outcome_{items[1].pk}": "废止"},
    )
    response = client.post(f"{campaign_url}finish/", {"finished_on": "2019-11-29"}, follow=True)

    assert "清理已完成：共2件，继续有效1件，废止1件。" in response.content.decode()


def _bulk_documents(n: int, clerk, unit) -> None:
    Document.objects.bulk_create(
        [
            Document(
                title=f"文件{i}",
                issuer="庙坝府发",
                drafting_unit=unit,
                created_by=clerk,
                status=Document.Status.PUBLISHED,
                year=2020,
                serial=i,
                number=f"庙坝府发〔2020〕{i}号",
                published_on=d(2020, 3, 1),
                effective_on=d(2020, 3, 31),
                validity_years=5,
                expires_on=d(2025, 3, 30),
            )  # fmt: skip
            for i in range(1, n + 1)
        ]
    )


def _bulk_reviews(n: int, clerk, unit, counsel) -> None:
    LegalReview.objects.bulk_create(
        [
            LegalReview(
                kind="合同",
                advisor=counsel,
                unit=unit,
                title=f"合同{i}",
                submitted_on=d(2020, 3, 2),
                created_by=clerk,
            )
            for i in range(n)
        ]
    )


def _bulk_decisions(n: int, clerk, unit) -> None:
    Decision.objects.bulk_create(
        [
            Decision(title=f"决策{i}", unit=unit, started_on=d(2020, 3, 2), created_by=clerk)
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [5, 500])
def test_register_page_queries_do_not_grow_with_rows(client, clerk, justice_office, n, list_page):
    _bulk_documents(n, clerk, justice_office)
    client.force_login(clerk)
    list_page("/docs/documents/?year=2020&filing_overdue=1")


@pytest.mark.parametrize("n", [5, 500])
def test_review_page_queries_do_not_grow_with_rows(client, clerk, justice_office, n, list_page):
    _bulk_reviews(n, clerk, justice_office, make_advisor())
    client.force_login(clerk)
    assert "合同" in list_page("/docs/reviews/").content.decode()


@pytest.mark.parametrize("n", [5, 500])
def test_decision_page_queries_do_not_grow_with_rows(client, clerk, justice_office, n, list_page):
    _bulk_decisions(n, clerk, justice_office)
    client.force_login(clerk)
    list_page("/docs/decisions/")


def test_register_export_follows_the_filters(client, clerk, justice_office):
    signed(clerk, justice_office)
    published(clerk, justice_office, on=d(2020, 3, 14))
    published(clerk, justice_office, on=d(2019, 3, 14))
    client.force_login(clerk)

    response = client.get("/ledger/documents/export/?year=2020&format=csv")

    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("庙坝府发〔2020〕1号")
