"""Every list page runs at most 9 queries (conftest.LIST_PAGE_QUERIES) with 30 or more rows,
filtered and not, once the reference lists are cached per process (issue 13)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt

from disputes.models import Dispute, Person
from disputes.tests.test_pages import _bulk_petitions
from normative_docs.models import Advisor, CleanupCampaign
from normative_docs.tests.test_pages import _bulk_decisions, _bulk_documents, _bulk_reviews
from reconsideration.models import Applicant, Case
from reports.models import AnnualReport, WorkRecord, WorkRecordKind, YearFigure
from tasks.models import Task
from tasks.tests.test_pages import _bulk as _bulk_tasks

pytestmark = pytest.mark.django_db

N = 30  # more than a page (20 rows)


def test_petitions_and_disputes(client, clerk, justice_office, list_page):
    _bulk_petitions(N, clerk, justice_office)
    Dispute.objects.bulk_create(
        Dispute(number=f"纠〔2019〕{i}号", year=2019, serial=i, received_on=dt.date(2019, 3, 1), source="当事人申请", type="邻里", unit=justice_office, summary="批量", created_by=clerk)
        for i in range(1, N + 1)
    )  # fmt: skip
    client.force_login(clerk)
    assert "信〔2019〕30号" in list_page("/disputes/petitions/").content.decode()
    list_page(f"/disputes/petitions/?year=2019&unit={justice_office.pk}&overdue=1")
    assert "纠〔2019〕30号" in list_page("/disputes/cases/").content.decode()
    list_page(f"/disputes/cases/?year=2019&unit={justice_office.pk}&is_repeat=1")


def test_documents_reviews_decisions_advisors_cleanups(
    client, clerk, leader, justice_office, list_page
):
    advisors = [
        Advisor.objects.create(
            name=f"律师{i}", law_firm="重庆渝东北律师事务所", licence_number=f"150022016101{i:05d}",
            contract_from=dt.date(2016, 1, 1), contract_to=dt.date(2030, 12, 31),
        )
        for i in range(N)
    ]  # fmt: skip
    _bulk_documents(N, clerk, justice_office)
    _bulk_reviews(N, clerk, justice_office, advisors[0])
    _bulk_decisions(N, clerk, justice_office)
    CleanupCampaign.objects.bulk_create(
        CleanupCampaign(title=f"{2000 + i}年规范性文件清理", started_on=dt.date(2000 + i, 3, 1), created_by=clerk)
        for i in range(N)
    )  # fmt: skip
    client.force_login(clerk)
    assert "庙坝府发〔2020〕30号" in list_page("/docs/documents/").content.decode()
    list_page("/docs/documents/?year=2020&filing_overdue=1")
    list_page("/docs/reviews/")
    list_page(f"/docs/reviews/?advisor={advisors[0].pk}&kind=合同")
    list_page("/docs/decisions/")
    client.force_login(leader)
    assert "律师29" in list_page("/docs/advisors/").content.decode()
    assert "2029年规范性文件清理" in list_page("/docs/cleanups/").content.decode()


def test_tasks_problems_and_the_verify_queue(client, clerk, leader, justice_office, list_page):
    _bulk_tasks(N, clerk, leader, justice_office)
    client.force_login(clerk)
    list_page("/tasks/")
    list_page(f"/tasks/?bucket=overdue&mine=responsible&unit={justice_office.pk}")
    list_page("/tasks/problems/")
    Task.objects.update(status=Task.Status.COMPLETED, completed_on=dt.date(2021, 6, 1))
    client.force_login(leader)
    list_page(f"/tasks/?bucket=awaiting&leader={leader.pk}")
    assert "整改〔2021〕30号" in list_page("/tasks/verify/").content.decode()


def test_work_records_year_figures_annual_reports_and_lockouts(
    client, clerk, leader, administrator, justice_office, list_page
):
    kind = WorkRecordKind.objects.first()
    WorkRecord.objects.bulk_create(
        WorkRecord(on=dt.date(2020, 1, 1) + dt.timedelta(days=i), kind=kind, title=f"学法{i}", unit=justice_office, created_by=clerk)
        for i in range(N)
    )  # fmt: skip
    YearFigure.objects.bulk_create(
        YearFigure(year=2020, key=key, value=i, entered_by=leader)
        for i, key in enumerate(YearFigure.Key.values)
    )
    AnnualReport.objects.bulk_create(
        AnnualReport(year=2000 + i, span_from=2000 + i, created_by=leader, as_of=dt.date(2001 + i, 1, 10), title=f"{2000 + i}年法治政府建设工作情况报告")
        for i in range(N)
    )  # fmt: skip
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"user{i}", ip_address="10.0.0.1", user_agent="x", failures_since_start=5, get_data="", post_data="", http_accept="", path_info="/login/")
        for i in range(N)
    )  # fmt: skip
    client.force_login(clerk)
    assert "学法29" in list_page("/reports/records/").content.decode()
    list_page(f"/reports/records/?year=2020&kind={kind.pk}&unit={justice_office.pk}")
    client.force_login(leader)
    list_page("/reports/figures/?year=2020")
    assert "2029年法治政府建设工作情况报告" in list_page("/reports/annual/").content.decode()
    client.force_login(administrator)
    assert "user29" in list_page("/system/lockouts/").content.decode()


def test_reconsideration_cases(client, clerk, leader, justice_office, list_page):
    cases = Case.objects.bulk_create(
        Case(kind=Case.Kind.LITIGATION if i % 2 else Case.Kind.RECONSIDERATION, case_number=f"城府复〔2024〕{i}号", body="城口县人民政府", received_on=dt.date(2024, 1, 2) + dt.timedelta(days=i), act="限期拆除决定", act_kind=Case.ActKind.PENALTY, unit=justice_office, created_by=clerk, answered_on=dt.date(2024, 3, 1) if i % 3 else None)
        for i in range(1, N + 1)
    )  # fmt: skip
    people = Person.objects.bulk_create(Person(name=f"申请人{i}") for i in range(2 * N))
    Applicant.objects.bulk_create(
        Applicant(case=case, person=people[2 * i + k], order=k)
        for i, case in enumerate(cases)
        for k in range(2)
    )
    client.force_login(clerk)
    assert "城府复〔2024〕30号" in list_page("/reconsideration/").content.decode()
    list_page(f"/reconsideration/?year=2024&unit={justice_office.pk}&kind=行政诉讼")
    client.force_login(leader)
    assert "城府复〔2024〕30号" in list_page("/reconsideration/?q=申请人59").content.decode()
