"""Walk every URL of the project for every role and compare with `miaoba.permissions_matrix`.

For each URL pattern (all of `get_resolver()`, the admin's included) the path parameters are
filled with real records of the clerk's unit (司法所), made through the services; each role
(and an anonymous visitor) then sends GET and POST (empty form) inside a savepoint rolled back
afterwards, so every request sees the same records. The outcome (ok, deny, login, hide, na) must
be the table's. A URL missing from the table fails here, so CI fails when a page is added
without deciding who may open it.

Set PERMISSION_MATRIX_PROBE=/tmp/matrix.json to write the observed outcomes instead of failing
(to draft entries for new URLs; then copy them into the table by hand, after checking each).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import cached_property

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from miaoba.permissions_matrix import MATRIX, METHODS, ROLES, key_of

d = dt.date


def _patterns(resolver=None, prefix="", namespace=None):
    """Yield (key, route, pattern) for every URL pattern, namespaces joined with ':'."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = p.namespace
            joined = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _patterns(p, route, joined)
        elif isinstance(p, URLPattern):
            yield key_of(namespace, p.name, route), route, p


ALL_PATTERNS = sorted({key: (route, p) for key, route, p in _patterns()}.items())


class World:
    """The records the URLs point at, each made on first use (of the clerk's unit, 司法所)."""

    def __init__(self, cast: dict, unit, tmp_media):
        self.cast = cast
        self.unit = unit
        self.clerk = cast["clerk"]

    @cached_property
    def petition(self):
        from disputes.tests.builders import register_petition

        return register_petition(by=self.clerk, unit=self.unit, received_on=d(2020, 3, 2))

    @cached_property
    def dispute(self):
        from disputes.tests.builders import register_dispute

        return register_dispute(by=self.clerk, unit=self.unit, received_on=d(2020, 3, 2))

    @cached_property
    def attachment(self):
        from disputes.models import Attachment

        return Attachment.objects.create(
            petition=self.petition,
            title="来信原件",
            file=SimpleUploadedFile("来信.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            uploaded_by=self.clerk,
        )

    @cached_property
    def task(self):
        from tasks.tests.builders import task

        return task(self.clerk, unit=self.unit, leader=self.cast["leader"])

    @cached_property
    def problem(self):
        return self.task.problem

    @cached_property
    def milestone(self):
        from tasks import services

        return services.milestone_add(
            self.task, by=self.clerk, title="制定制度", due_on=d(2021, 3, 1)
        )

    @cached_property
    def evidence(self):
        from tasks import services
        from tasks.tests.builders import pdf

        progress = services.task_add_progress(
            self.task, by=self.clerk, on=d(2021, 2, 1), text="已起草制度", files=[pdf()]
        )
        return progress.evidence.get()

    @cached_property
    def advisor(self):
        """The Advisor record (法律顾问) of the advisor user."""
        from normative_docs.tests.builders import make_advisor

        return make_advisor(self.cast["advisor"])

    @cached_property
    def document(self):
        from normative_docs.tests.builders import draft

        return draft(self.clerk, self.unit)

    @cached_property
    def review(self):
        from normative_docs import services

        return services.review_send(
            by=self.clerk,
            kind="合同",
            advisor=self.advisor,
            unit=self.unit,
            title="村道硬化工程施工合同",
            submitted_on=d(2020, 9, 25),
        )

    @cached_property
    def review_file(self):
        from normative_docs import services

        return services.review_add_file(
            self.review,
            by=self.clerk,
            title="施工合同文本",
            file=SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        )

    @cached_property
    def accepted_petition(self):
        from disputes import services
        from disputes.tests.builders import register_petition

        petition = register_petition(by=self.clerk, unit=self.unit, received_on=d(2020, 3, 2))
        return services.petition_accept(petition, by=self.clerk, on=d(2020, 3, 5))

    @cached_property
    def notice(self):
        from miaoba.notices import notice_issue, registry

        kind = registry()["petition_accept"]
        return notice_issue(kind, self.accepted_petition, by=self.clerk, on=d(2020, 3, 5))

    @cached_property
    def decision(self):
        from normative_docs import services

        return services.decision_start(
            by=self.clerk, title="庙坝场镇污水管网改造", unit=self.unit, started_on=d(2021, 3, 1)
        )

    @cached_property
    def cleanup(self):
        from normative_docs import services
        from normative_docs.tests.builders import published

        doc = published(self.clerk, self.unit, title="庙坝镇集镇管理办法")
        return services.cleanup_start(
            by=self.clerk, title="2020年清理", started_on=d(2020, 9, 1), documents=[doc]
        )

    @cached_property
    def recon_case(self):
        """A 行政诉讼 case (行政应诉) of the clerk's unit."""
        from reconsideration.tests.builders import register_case

        return register_case(by=self.clerk, unit=self.unit, received_on=d(2024, 3, 4))

    @cached_property
    def record(self):
        from reports.models import WorkRecord, WorkRecordKind

        return WorkRecord.objects.create(
            on=d(2020, 6, 18),
            kind=WorkRecordKind.objects.get(name="法治培训"),
            title="民法典专题培训",
            sessions=1,
            participants=60,
            unit=self.unit,
            created_by=self.clerk,
        )

    @cached_property
    def report(self):
        from reports import services

        return services.report_create(by=self.clerk, year=2020, as_of=d(2020, 12, 31))

    @cached_property
    def security_event(self):
        from miaoba.security import Kind, record_event

        return record_event(Kind.EXPORT, user=self.clerk, target="信访件台账")

    def admin_object(self, model_label: str):
        """Return a stored instance of `model_label` ("miaoba.unit") for the admin's URLs."""
        special = {"miaoba.user": lambda: self.clerk, "miaoba.unit": lambda: self.unit}
        special["miaoba.securityevent"] = lambda: self.security_event
        if model_label in special:
            return special[model_label]()
        model = apps.get_model(model_label)
        found = model._default_manager.order_by("pk").first()
        if found is None and model_label == "miaoba.village":
            found = model.objects.create(name="庙坝村")
        if found is None and model_label == "disputes.mediator":
            found = model.objects.create(name="罗正平")
        assert found is not None, f"请在 World 中为 {model_label} 造一条记录"
        return found


# Path parameters of each URL: a function of the world returning the kwargs to reverse with.
PARAMS = {
    "correct": lambda w: {"kind": "petition", "pk": w.petition.pk},
    "notice_issue": lambda w: {"key": "petition_accept", "pk": w.accepted_petition.pk},
    "notice_download": lambda w: {"pk": w.notice.pk, "fmt": "docx"},
    "ledger_export": lambda w: {"kind": "petitions"},
    "ledger_import": lambda w: {"kind": "petitions"},
    "disputes:petition_detail": lambda w: {"pk": w.petition.pk},
    "disputes:petition_step": lambda w: {"pk": w.petition.pk, "step": "accept"},
    "disputes:dispute_detail": lambda w: {"pk": w.dispute.pk},
    "disputes:dispute_step": lambda w: {"pk": w.dispute.pk, "step": "accept"},
    "disputes:attachment_upload": lambda w: {"kind": "petition", "pk": w.petition.pk},
    "disputes:attachment_download": lambda w: {"pk": w.attachment.pk},
    "tasks:task_detail": lambda w: {"pk": w.task.pk},
    "tasks:task_edit": lambda w: {"pk": w.task.pk},
    "tasks:progress_add": lambda w: {"pk": w.task.pk},
    "tasks:task_step": lambda w: {"pk": w.task.pk, "step": "complete"},
    "tasks:milestone_reach": lambda w: {"pk": w.milestone.pk},
    "tasks:evidence_download": lambda w: {"pk": w.evidence.pk},
    "tasks:problem_detail": lambda w: {"pk": w.problem.pk},
    "tasks:problem_edit": lambda w: {"pk": w.problem.pk},
    "normative_docs:document_detail": lambda w: {"pk": w.document.pk},
    "normative_docs:document_step": lambda w: {"pk": w.document.pk, "step": "consult"},
    "normative_docs:review_detail": lambda w: {"pk": w.review.pk},
    "normative_docs:review_complete": lambda w: {"pk": w.review.pk},
    "normative_docs:review_adoption": lambda w: {"pk": w.review.pk},
    "normative_docs:review_file_upload": lambda w: {"pk": w.review.pk},
    "normative_docs:review_file_download": lambda w: {"pk": w.review_file.pk},
    "normative_docs:decision_detail": lambda w: {"pk": w.decision.pk},
    "normative_docs:decision_step": lambda w: {"pk": w.decision.pk, "step": "participation"},
    "normative_docs:cleanup_detail": lambda w: {"pk": w.cleanup.pk},
    "normative_docs:cleanup_record": lambda w: {"pk": w.cleanup.pk},
    "normative_docs:cleanup_finish": lambda w: {"pk": w.cleanup.pk},
    "reconsideration:case_detail": lambda w: {"pk": w.recon_case.pk},
    "reconsideration:case_step": lambda w: {"pk": w.recon_case.pk, "step": "answer"},
    "reconsideration:case_void": lambda w: {"pk": w.recon_case.pk},
    "reports:record_edit": lambda w: {"pk": w.record.pk},
    "reports:report_detail": lambda w: {"year": w.report.year},
    "reports:report_header": lambda w: {"year": w.report.year},
    "reports:section_edit": lambda w: {"year": w.report.year, "order": 1},
    "reports:section_reset": lambda w: {"year": w.report.year, "order": 1},
    "reports:report_finalise": lambda w: {"year": w.report.year},
    "reports:report_reopen": lambda w: {"year": w.report.year},
    "reports:report_export": lambda w: {"year": w.report.year, "fmt": "print"},
}


def _admin_path(world: World, key: str, route: str, pattern: URLPattern) -> str:
    """Return the path for an admin URL, its object taken from the model in its name."""
    params = set(pattern.pattern.regex.groupindex)
    if key == "admin:view_on_site":
        unit = world.unit
        return reverse(key, args=[ContentType.objects.get_for_model(unit).pk, unit.pk])
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "miaoba"})
    if key == "admin:auth_user_password_change":
        return reverse(key, args=[world.clerk.pk])
    if not params:
        return reverse(key) if ":" in key and not key.startswith("admin/") else "/" + route
    # admin:<app>_<model>_<view> or an unnamed "admin/<app>/<model>/<path:object_id>/" route.
    if key.startswith("admin/"):
        if "(?P<url>" in route:
            return "/admin/nothing-here/"
        app, model = route.split("/")[1:3]
        obj = world.admin_object(f"{app}.{model}")
        return f"/admin/{app}/{model}/{obj.pk}/"
    name = key.split(":", 1)[1]
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            obj = world.admin_object(model._meta.label_lower)
            return reverse(key, args=[obj.pk])
    raise AssertionError(f"不知道如何为 {key} 填写参数")


def _path(world: World, key: str, route: str, pattern: URLPattern) -> str:
    if key.startswith("admin"):
        return _admin_path(world, key, route, pattern)
    params = set(pattern.pattern.regex.groupindex)
    if not params:
        return reverse(key)
    if key in PARAMS:
        return reverse(key, kwargs=PARAMS[key](world))
    # "<ns>:petition_void" with only a pk: the world's record named by the first word(s).
    words = key.split(":")[-1].split("_")
    for n in range(len(words), 0, -1):
        entity = "_".join(words[:n])
        if params == {"pk"} and isinstance(getattr(World, entity, None), cached_property):
            return reverse(key, kwargs={"pk": getattr(world, entity).pk})
    raise AssertionError(f"{key} 有路径参数：请在 PARAMS 中说明用哪条记录填写")


LOGIN_PATHS = ("/login/", "/admin/login/")


def outcome(response) -> str:
    """Classify a response: ok, deny (403), login (sent to a login page), hide (404), na (405)."""
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        return "login" if location.startswith(LOGIN_PATHS) else "ok"
    return {200: "ok", 403: "deny", 404: "hide", 405: "na", 429: "ok"}.get(status, f"{status}")


@pytest.fixture
def cast(clerk, outsider, advisor, leader, administrator) -> dict:
    return {
        "clerk": clerk,
        "outsider": outsider,
        "advisor": advisor,
        "leader": leader,
        "administrator": administrator,
    }


@pytest.fixture
def world(cast, justice_office, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return World(cast, justice_office, tmp_path)


def _observe(world: World, cast: dict, key: str, route: str, pattern) -> dict:
    path = _path(world, key, route, pattern)
    seen: dict[str, dict[str, str]] = {method: {} for method in METHODS}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(cast[role])
        for method in METHODS:
            with transaction.atomic():
                response = client.generic(method, path)
                transaction.set_rollback(True)
            seen[method][role] = outcome(response)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("key", [key for key, _ in ALL_PATTERNS])
def test_every_role_gets_what_the_matrix_says(key, cast, world):
    route, pattern = dict(ALL_PATTERNS)[key]
    probe = os.environ.get("PERMISSION_MATRIX_PROBE")
    if not probe:
        assert key in MATRIX, f"URL {key}（{route}）不在权限表 miaoba/permissions_matrix.py 中"
    seen = _observe(world, cast, key, route, pattern)
    if probe:
        with open(probe, "a") as out:
            out.write(json.dumps({"key": key, "route": route, "seen": seen}) + "\n")
        return
    expected = MATRIX[key]
    wrong = [
        f"{method} {role}: 应为 {expected[method][role]}，实为 {seen[method][role]}"
        for method in METHODS
        for role in ROLES
        if expected[method][role] != seen[method][role]
    ]
    assert not wrong, f"{key} ({route})\n" + "\n".join(wrong)


def test_matrix_has_no_entry_for_a_url_that_is_gone():
    assert set(MATRIX) - {key for key, _ in ALL_PATTERNS} == set()
