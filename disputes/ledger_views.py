"""Pages to export and import the ledgers (台账) of petitions and disputes (`DOMAIN.md` §10).

`kind` in the URL is "petitions" or "disputes"; anything else is a 404. The permission needed
depends on `kind` (view_petition / view_dispute to export, add_petition / add_dispute to
import), so each view applies `permission_required` once it knows the kind.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path, PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from disputes.filters import DisputeFilter, PetitionFilter
from disputes.models import Dispute, Petition
from disputes.resources import RESOURCES, TITLES, export_dataset, import_ledger, plan_import
from disputes.services import today
from miaoba.ledger import MAX_FILE_BYTES, LedgerFileError, render_csv, render_xlsx

VIEW_PERMISSIONS = {"petitions": "disputes.view_petition", "disputes": "disputes.view_dispute"}
ADD_PERMISSIONS = {"petitions": "disputes.add_petition", "disputes": "disputes.add_dispute"}
LIST_URLS = {"petitions": "disputes:petition_list", "disputes": "disputes:dispute_list"}
AREAS = {"petitions": "信访", "disputes": "矛盾纠纷"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SESSION_KEY = "ledger_upload"
PREVIEW_ROWS = 20
UPLOAD_DIR = Path(tempfile.gettempdir()) / "miaoba-ledger-uploads"


def _check_kind(kind: str) -> None:
    if kind not in RESOURCES:
        raise Http404("没有这种台账。")


def _list_url(kind: str) -> str:
    try:
        return reverse(LIST_URLS[kind])
    except NoReverseMatch:
        return reverse("disputes:ledger_import", args=[kind])


# --- Export ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def ledger_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Send the ledger of what the list filters show, as xlsx (default) or csv.

    `?format=xlsx|csv`; `?template=1` sends only the headers (the import template). The rows are
    those of `PetitionFilter(request.GET, visible_to(user))` (or DisputeFilter), so an export
    holds exactly what the list shows. ID numbers and phones are masked for users without
    `disputes.view_personal_data`.
    """
    _check_kind(kind)
    return permission_required(VIEW_PERMISSIONS[kind], raise_exception=True)(_export)(request, kind)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404("只能导出 xlsx 或 csv 格式。")
    if request.GET.get("template"):
        dataset = export_dataset(kind, None)
        filename = f"{TITLES[kind]}导入模板.{fmt}"
    else:
        model, filter_class = (
            (Petition, PetitionFilter) if kind == "petitions" else (Dispute, DisputeFilter)
        )
        queryset = filter_class(request.GET, queryset=model.objects.visible_to(request.user)).qs
        dataset = export_dataset(
            kind,
            queryset,
            show_personal_data=request.user.has_perm("disputes.view_personal_data"),
        )
        filename = f"{TITLES[kind]}-{today():%Y%m%d}.{fmt}"
    content = render_xlsx(dataset) if fmt == "xlsx" else render_csv(dataset)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Import ----------------------------------------------------------------------------------


class LedgerUploadForm(forms.Form):
    """The ledger file to import (台账文件): xlsx or csv, at most 10 MB."""

    file = forms.FileField(
        label="台账文件",
        help_text="支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）；第1行为表头，列名与导入模板一致。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in {".xlsx", ".csv"}:
            raise forms.ValidationError("只能导入 .xlsx 或 .csv 格式的台账文件。")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("文件过大：台账文件不能超过 10 MB。")
        return upload


@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Import a ledger file in two steps: check and preview, then 确认导入.

    GET shows the upload form. POSTing a file checks every row: with any error it shows them
    all (行号, 列, 错误说明) and writes nothing; when valid it keeps the file under a random
    token held in the session and shows what will be created and updated. POSTing `confirm`
    with that token imports the whole file in one transaction and redirects to the list.
    """
    _check_kind(kind)
    return permission_required(ADD_PERMISSIONS[kind], raise_exception=True)(_import)(request, kind)


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    context = {
        "kind": kind,
        "title": TITLES[kind],
        "area": AREAS[kind],
        "list_url": _list_url(kind),
        "columns": RESOURCES[kind].headers(),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, kind, context)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan = plan_import(kind, data, upload.name, user=request.user)
        except LedgerFileError as exc:
            form.add_error("file", str(exc))
        else:
            context["plan"] = plan
            if plan.is_valid:
                context["token"] = _keep_upload(request, kind, upload.name, data)
                context["preview"] = plan.rows[:PREVIEW_ROWS]
    context["form"] = form
    return render(request, "disputes/ledger_import.html", context)


def _confirm(request: HttpRequest, kind: str, context: dict) -> HttpResponse:
    kept = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _upload_path(kept.get("token", ""), kept.get("suffix", ""))
    if (
        not token
        or not secrets.compare_digest(token, kept.get("token", ""))
        or kept.get("kind") != kind
        or path is None
        or not path.exists()
    ):
        messages.error(request, "上传的文件已失效，请重新选择文件导入。")
        return redirect("disputes:ledger_import", kind)
    data = path.read_bytes()
    try:
        plan = import_ledger(kind, data, kept["name"], user=request.user)
    except LedgerFileError as exc:
        messages.error(request, str(exc))
        return redirect("disputes:ledger_import", kind)
    if not plan.is_valid:
        # The records changed between the preview and the confirmation: show why.
        context.update(plan=plan, form=LedgerUploadForm())
        return render(request, "disputes/ledger_import.html", context)
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    summary = f"已导入 {len(plan.rows)} 件（新增 {plan.created}，更新 {plan.updated}"
    if plan.unchanged:
        summary += f"，其中 {plan.unchanged} 件无变化"
    messages.success(request, summary + "）")
    return redirect(_list_url(kind))


def _upload_path(token: str, suffix: str) -> Path | None:
    if not token.isalnum() or suffix not in {".xlsx", ".csv"}:
        return None
    return UPLOAD_DIR / f"{token}{suffix}"


def _keep_upload(request: HttpRequest, kind: str, name: str, data: bytes) -> str:
    """Store the checked file under a random token (replacing the user's previous one)."""
    old = request.session.get(SESSION_KEY) or {}
    old_path = _upload_path(old.get("token", ""), old.get("suffix", ""))
    if old_path is not None:
        old_path.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    suffix = PurePath(name).suffix.lower()
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = _upload_path(token, suffix)
    path.write_bytes(data)
    request.session[SESSION_KEY] = {"token": token, "kind": kind, "name": name, "suffix": suffix}
    return token
