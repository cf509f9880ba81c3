"""Every create form of the permission matrix posted twice creates one record (issue 14
point 9: reviews, decisions, clean-up campaigns and progress entries used to save twice).

For each create URL the page is opened as a browser would, the form's fields are read from the
HTML (with its one-time `form_token`), the blanks a clerk would fill are filled, and the same
form is posted twice: one record more, and the second post lands on the first one's page. A
create URL of the matrix without an entry here fails `test_every_create_url_is_covered`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from miaoba.permissions_matrix import MATRIX

pytestmark = pytest.mark.django_db

TODAY = dt.date.today().isoformat()
PDF = b"%PDF-1.4\n%%EOF\n"


class _FormReader(HTMLParser):
    """Read the fields of the post form holding `form_token` as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None
        self._chosen: set[str] = set()
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._current = {"action": a.get("action"), "data": {}}
            self.forms.append(self._current)
        if self._current is None:
            return
        data = self._current["data"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            # Like a browser: the selected option, else the first one.
            if "selected" in a or self._select not in data:
                if "selected" in a and self._select in self._chosen:
                    data[self._select] = [*data[self._select], a.get("value", "")]
                else:
                    data[self._select] = a.get("value", "")
                if "selected" in a:
                    self._chosen.add(self._select)
        elif tag == "textarea" and name:
            self._textarea = name
            data[name] = ""

    def handle_data(self, text):
        if self._current is not None and self._textarea:
            self._current["data"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._current = None


def read_form(html: str) -> dict:
    reader = _FormReader()
    reader.feed(html)
    with_token = [f for f in reader.forms if "form_token" in f["data"]]
    assert with_token, "页面上没有带 form_token 的表单"
    form = with_token[-1]
    return {k: v for k, v in form["data"].items() if k != "csrfmiddlewaretoken"} | {
        "_action": form["action"]
    }


@dataclass
class Create:
    """A create URL: who posts, the page with the form, what to fill, what it creates."""

    role: str
    page: object  # (world) -> path of the page showing the form
    model: str  # "app.Model" whose rows are counted
    fill: object = None  # (world) -> {field: value} for the blanks
    files: object = None  # () -> {field: uploaded file} (new for each post)
    extra: dict = field(default_factory=dict)


def _pk(model: str, **lookup):
    from django.apps import apps

    return str(apps.get_model(model).objects.get(**lookup).pk)


CREATES: dict[str, Create] = {
    "disputes:petition_create": Create(
        "clerk",
        lambda w: reverse("disputes:petition_create"),
        "disputes.Petition",
        lambda w: {
            "received_on": TODAY,
            "channel": "来信",
            "category": _pk("disputes.Category", name="邻里"),
            "unit": str(w.unit.pk),
            "summary": "反映村道破损",
            "people-0-name": "王五",
        },
    ),
    "disputes:dispute_create": Create(
        "clerk",
        lambda w: reverse("disputes:dispute_create"),
        "disputes.Dispute",
        lambda w: {
            "received_on": TODAY,
            "source": "当事人申请",
            "type": "邻里",
            "unit": str(w.unit.pk),
            "summary": "排水沟纠纷",
            "parties-0-name": "王五",
            "parties-0-side": "申请方",
            "parties-1-name": "赵六",
            "parties-1-side": "被申请方",
        },
    ),
    "reconsideration:case_create": Create(
        "clerk",
        lambda w: reverse("reconsideration:case_create"),
        "reconsideration.Case",
        lambda w: {
            "kind": "行政诉讼",
            "case_number": "（2024）渝0154行初3号",
            "body": "城口县人民法院",
            "received_on": TODAY,
            "act": "限期拆除决定",
            "act_kind": "行政处罚",
            "unit": str(w.unit.pk),
            "people-0-name": "王五",
        },
    ),
    "disputes:attachment_upload": Create(
        "clerk",
        lambda w: reverse("disputes:petition_detail", args=[w.petition.pk]),
        "disputes.Attachment",
        lambda w: {"title": "来信原件"},
        files=lambda: {"file": SimpleUploadedFile("来信.pdf", PDF, "application/pdf")},
    ),
    "normative_docs:document_create": Create(
        "clerk",
        lambda w: reverse("normative_docs:document_create"),
        "normative_docs.Document",
        lambda w: {
            "title": "庙坝镇农村宅基地管理办法",
            "issuer": "庙坝府发",
            "drafting_unit": str(w.unit.pk),
            "drafted_on": TODAY,
        },
    ),
    "normative_docs:review_create": Create(
        "clerk",
        lambda w: (w.advisor, reverse("normative_docs:review_create"))[1],
        "normative_docs.LegalReview",
        lambda w: {
            "kind": "合同",
            "title": "村道硬化工程施工合同",
            "unit": str(w.unit.pk),
            "advisor": str(w.advisor.pk),
            "submitted_on": TODAY,
        },
    ),
    "normative_docs:review_file_upload": Create(
        "clerk",
        lambda w: reverse("normative_docs:review_detail", args=[w.review.pk]),
        "normative_docs.ReviewFile",
        lambda w: {"title": "合同文本"},
        files=lambda: {"file": SimpleUploadedFile("合同.pdf", PDF, "application/pdf")},
    ),
    "normative_docs:decision_create": Create(
        "clerk",
        lambda w: reverse("normative_docs:decision_create"),
        "normative_docs.Decision",
        lambda w: {"title": "庙坝场镇污水管网改造", "unit": str(w.unit.pk), "started_on": TODAY},
    ),
    "normative_docs:cleanup_create": Create(
        "clerk",
        lambda w: (w.cleanup, reverse("normative_docs:cleanup_create"))[1],
        "normative_docs.CleanupCampaign",
        lambda w: {"title": "2021年规范性文件清理", "started_on": TODAY},
    ),
    "normative_docs:advisor_create": Create(
        "administrator",
        lambda w: reverse("normative_docs:advisor_create"),
        "normative_docs.Advisor",
        lambda w: {
            "name": "刘律师",
            "law_firm": "重庆城口律师事务所",
            "licence_number": "15002201810012345",
            "contract_from": "2021-01-01",
            "contract_to": "2021-12-31",
        },
    ),
    "tasks:problem_create": Create(
        "clerk",
        lambda w: reverse("tasks:problem_create"),
        "tasks.Problem",
        lambda w: {"source": "督察", "title": "领导干部学法制度落实不到位", "year": "2020"},
    ),
    "tasks:task_create": Create(
        "clerk",
        lambda w: (w.problem, reverse("tasks:task_create"))[1],
        "tasks.Task",
        lambda w: {
            "problem": str(w.problem.pk),
            "measures": "每季度组织一次集中学法",
            "lead_unit": str(w.unit.pk),
            "responsible": str(w.clerk.pk),
            "leader": str(w.cast["leader"].pk),
            "assigned_on": TODAY,
            "period_days": "30",
        },
    ),
    "tasks:progress_add": Create(
        "clerk",
        lambda w: reverse("tasks:task_detail", args=[w.task.pk]),
        "tasks.Progress",
        lambda w: {"on": TODAY, "text": "已起草学法制度"},
        files=lambda: {"files": SimpleUploadedFile("制度.pdf", PDF, "application/pdf")},
    ),
    "reports:record_create": Create(
        "clerk",
        lambda w: reverse("reports:record_create"),
        "reports.WorkRecord",
        lambda w: {
            "on": TODAY,
            "kind": _pk("reports.WorkRecordKind", name="法治培训"),
            "title": "民法典专题培训",
            "sessions": "1",
            "unit": str(w.unit.pk),
        },
    ),
}

# Create forms in the admin: one per natural key (a unit's or village's name, a date, a
# username), so a second post is refused by the model's uniqueness, in Chinese.
ADMIN_CREATES = {
    "admin:disputes_mediator_add": ("disputes.Mediator", {"name": "王调解", "is_active": "on"}),
    "admin:miaoba_unit_add": ("miaoba.Unit", {"name": "应急办", "kind": "office", "order": "9"}),
    "admin:miaoba_village_add": (
        "miaoba.Village",
        {"name": "新开村", "kind": "village", "order": "9"},
    ),
    "admin:miaoba_calendarday_add": (
        "miaoba.CalendarDay",
        {"date": "2031-10-01", "kind": "holiday", "name": "国庆节"},
    ),
    "admin:miaoba_user_add": (
        "miaoba.User",
        {
            "username": "xinfang2",
            "password1": "Chengkou#Mb-0107",
            "password2": "Chengkou#Mb-0107",
            "usable_password": "true",
        },
    ),
}

# Create URLs nobody may post to, and the ledger import (its confirmation holds a one-time
# token in the session: `miaoba/tests` ledger tests post it twice).
NOT_FORMS = {"admin:auth_group_add", "admin:miaoba_securityevent_add", "ledger_import"}
CREATE_NAME = re.compile(r"(_create|_add|_upload|_new)$")


def test_every_create_url_is_covered():
    creates = {key for key in MATRIX if CREATE_NAME.search(key)}
    assert creates - NOT_FORMS - set(CREATES) - set(ADMIN_CREATES) == set()


def _count(model: str) -> int:
    from django.apps import apps

    return apps.get_model(model)._base_manager.count()


@pytest.mark.parametrize("key", sorted(CREATES))
def test_a_create_form_posted_twice_creates_one_record(key, cast, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    spec = CREATES[key]
    client = Client()
    client.force_login(cast[spec.role])
    page = client.get(spec.page(world))
    assert page.status_code == 200, key
    data = read_form(page.content.decode())
    action = data.pop("_action") or spec.page(world)
    assert data["form_token"], key
    data.update(spec.fill(world) if spec.fill else {})
    before = _count(spec.model)

    first = client.post(action, {**data, **(spec.files() if spec.files else {})})
    second = client.post(action, {**data, **(spec.files() if spec.files else {})}, follow=True)

    assert first.status_code == 302, (key, first.content.decode()[:3000])
    assert _count(spec.model) == before + 1, key
    assert "已提交过" in second.content.decode(), key


@pytest.mark.parametrize("key", sorted(ADMIN_CREATES))
def test_an_admin_create_form_posted_twice_creates_one_record(key, cast):
    model, fields = ADMIN_CREATES[key]
    client = Client()
    client.force_login(cast["administrator"])
    url = reverse(key)
    assert client.get(url).status_code == 200
    before = _count(model)

    first = client.post(url, fields)
    second = client.post(url, fields)

    assert first.status_code == 302, (key, first.content.decode()[:3000])
    assert second.status_code == 200 and "已存在" in second.content.decode(), key
    assert _count(model) == before + 1, key
