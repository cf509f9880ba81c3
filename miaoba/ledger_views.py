"""Pages to export and import every registered ledger (台账), `DOMAIN.md` §10.

`kind` in the URL names a ledger registered in `miaoba.ledger.LEDGERS` ("petitions",
"disputes", ...); anything else is a 404. The permission needed is the ledger's own
(`view_perm` to export, `importer_perm` to import).
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path, PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from miaoba import ledger_jobs
from miaoba.ledger import (
    LEDGERS,
    MAX_FILE_BYTES,
    Ledger,
    LedgerFileError,
    RowError,
    count_rows,
    render_csv,
    render_xlsx,
    row_label,
)
from miaoba.security import Kind, record_event, record_export

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SESSION_KEY = "ledger_upload"
PREVIEW_ROWS = 20
UPLOAD_DIR = Path(tempfile.gettempdir()) / "miaoba-ledger-uploads"


def _ledger(kind: str) -> Ledger:
    try:
        return LEDGERS[kind]
    except KeyError:
        raise Http404("没有这种台账。") from None


# --- Export ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def ledger_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Send the ledger of what the list filters show, as xlsx (default) or csv.

    `?format=xlsx|csv`; `?template=1` sends only the headers (the import template). The rows are
    the ledger's `export_for(request)`: what the list's filters show, within what the user may
    see, with personal data masked for users without the permission to see it.
    """
    ledger = _ledger(kind)
    return permission_required(ledger.view_perm, raise_exception=True)(_export)(request, ledger)


def _export(request: HttpRequest, ledger: Ledger) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404("只能导出 xlsx 或 csv 格式。")
    if request.GET.get("template"):
        dataset = ledger.template()
        filename = f"{ledger.title}导入模板.{fmt}"
    else:
        dataset = ledger.export_for(request)
        filename = f"{ledger.title}-{timezone.localdate():%Y%m%d}.{fmt}"
    content = render_xlsx(dataset) if fmt == "xlsx" else render_csv(dataset)
    record_export(
        title=ledger.title,
        detail=filename,
        rows=len(dataset),
        personal_data=ledger.personal_data,
        full=bool(ledger.personal_perm) and request.user.has_perm(ledger.personal_perm),
        request=request,
    )
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
    ledger = _ledger(kind)
    return permission_required(ledger.importer_perm, raise_exception=True)(_import)(request, ledger)


def _import(request: HttpRequest, ledger: Ledger) -> HttpResponse:
    kind = ledger.kind
    context = {
        "kind": kind,
        "title": ledger.title,
        "area": ledger.area,
        "list_url": reverse(ledger.list_url_name),
        "columns": ledger.headers(),
        "preview_headers": [label for label, _ in ledger.preview_columns],
    }
    if request.method == "GET" and request.GET.get("job"):
        return _job_page(request, ledger, context, request.GET["job"])
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, ledger, context)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = count_rows(data, upload.name)
            if rows > ledger_jobs.background_from_rows():
                # Too long for one request: check in the background, the page follows.
                token = _keep_upload(request, kind, upload.name, data, background=True)
                ledger_jobs.start(
                    UPLOAD_DIR,
                    token,
                    kind=kind,
                    name=upload.name,
                    path=_upload_path(token, PurePath(upload.name).suffix.lower()),
                    user=request.user,
                    stage="check",
                    total=rows,
                )
                return redirect(f"{reverse('ledger_import', args=[kind])}?job={token}")
            plan = ledger.check_file(data, upload.name, user=request.user)
        except LedgerFileError as exc:
            form.add_error("file", str(exc))
        else:
            context["plan"] = plan
            if plan.is_valid:
                context["token"] = _keep_upload(request, kind, upload.name, data)
                context["preview"] = [
                    (row_label(row), row.action, [get(row) for _, get in ledger.preview_columns])
                    for row in plan.rows[:PREVIEW_ROWS]
                ]
    context["form"] = form
    return render(request, "ledger_import.html", context)


def _confirm(request: HttpRequest, ledger: Ledger, context: dict) -> HttpResponse:
    kind = ledger.kind
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
        return redirect("ledger_import", kind)
    if kept.get("background"):
        state = ledger_jobs.read_state(UPLOAD_DIR, token) or {}
        ledger_jobs.start(
            UPLOAD_DIR,
            token,
            kind=kind,
            name=kept["name"],
            path=path,
            user=request.user,
            stage="import",
            total=state.get("total", 0),
        )
        return redirect(f"{reverse('ledger_import', args=[kind])}?job={token}")
    data = path.read_bytes()
    try:
        plan = ledger.import_file(data, kept["name"], user=request.user)
    except LedgerFileError as exc:
        messages.error(request, str(exc))
        return redirect("ledger_import", kind)
    except (DatabaseError, ValidationError):
        # The checks come from the models, so this is a bug to fix; the clerk still gets a
        # page saying nothing was written (the import runs in one transaction), not a 500.
        logger.exception("ledger import of %s failed after a valid preview", kind)
        messages.error(request, "导入未完成，没有写入任何数据。请把该文件交给系统管理员检查。")
        return redirect("ledger_import", kind)
    if not plan.is_valid:
        # The records changed between the preview and the confirmation: show why.
        context.update(plan=plan, form=LedgerUploadForm())
        return render(request, "ledger_import.html", context)
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    record_event(
        Kind.IMPORT,
        request=request,
        target=ledger.title,
        detail=f"{kept['name']}，新增 {plan.created}，更新 {plan.updated}",
    )
    summary = f"已导入 {len(plan.rows)} 件（新增 {plan.created}，更新 {plan.updated}"
    if plan.unchanged:
        summary += f"，其中 {plan.unchanged} 件无变化"
    messages.success(request, summary + "）")
    return redirect(ledger.list_url_name)


def _upload_path(token: str, suffix: str) -> Path | None:
    if not token.isalnum() or suffix not in {".xlsx", ".csv"}:
        return None
    return UPLOAD_DIR / f"{token}{suffix}"


def _keep_upload(
    request: HttpRequest, kind: str, name: str, data: bytes, *, background: bool = False
) -> str:
    """Store the checked file under a random token (replacing the user's previous one)."""
    old = request.session.get(SESSION_KEY) or {}
    old_path = _upload_path(old.get("token", ""), old.get("suffix", ""))
    if old_path is not None:
        old_path.unlink(missing_ok=True)
        ledger_jobs.state_path(UPLOAD_DIR, old.get("token", "")).unlink(missing_ok=True)
    token = secrets.token_hex(16)
    suffix = PurePath(name).suffix.lower()
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = _upload_path(token, suffix)
    path.write_bytes(data)
    request.session[SESSION_KEY] = {
        "token": token,
        "kind": kind,
        "name": name,
        "suffix": suffix,
        "background": background,
    }
    return token


def _job_page(request: HttpRequest, ledger: Ledger, context: dict, token: str) -> HttpResponse:
    """Show a background job: its progress bar while it runs, then the preview or the result.

    Only the session that uploaded the file sees its job (another gets a 404).
    """
    kind = ledger.kind
    kept = request.session.get(SESSION_KEY) or {}
    if not token.isalnum() or not secrets.compare_digest(token, kept.get("token", "")):
        raise Http404("没有这个导入任务。")
    state = ledger_jobs.read_state(UPLOAD_DIR, token)
    if state is None or kept.get("kind") != kind:
        raise Http404("没有这个导入任务。")
    if state["status"] == "running" and not ledger_jobs.is_stale(state):
        context.update(job=state, job_percent=_percent(state))
        return render(request, "ledger_import.html", context)
    if state["status"] != "done":
        message = (
            state.get("message")
            or "导入任务已中断（服务器重启），没有写入任何数据。请重新选择文件导入。"
        )
        messages.error(request, message)
        _forget_upload(request)
        return redirect("ledger_import", kind)
    result = state["result"]
    plan = _Summary(kind, result)
    if state["stage"] == "import" and plan.is_valid:
        record_event(
            Kind.IMPORT,
            request=request,
            target=ledger.title,
            detail=f"{kept['name']}，新增 {plan.created}，更新 {plan.updated}",
        )
        _forget_upload(request)
        summary = f"已导入 {plan.count} 件（新增 {plan.created}，更新 {plan.updated}"
        if plan.unchanged:
            summary += f"，其中 {plan.unchanged} 件无变化"
        messages.success(request, summary + "）")
        return redirect(ledger.list_url_name)
    context.update(plan=plan, form=LedgerUploadForm())
    if plan.is_valid:
        context.update(token=token, preview=result["preview"])
    return render(request, "ledger_import.html", context)


def _percent(state: dict) -> int:
    total = state.get("total") or 0
    return min(100, round(100 * state.get("done", 0) / total)) if total else 0


def _forget_upload(request: HttpRequest) -> None:
    kept = request.session.pop(SESSION_KEY, None) or {}
    path = _upload_path(kept.get("token", ""), kept.get("suffix", ""))
    if path is not None:
        path.unlink(missing_ok=True)
        ledger_jobs.state_path(UPLOAD_DIR, kept["token"]).unlink(missing_ok=True)


class _Summary:
    """A finished job's plan as the page reads it (`miaoba.ledger_jobs.plan_summary`)."""

    def __init__(self, kind: str, result: dict):
        self.kind = kind
        self.filename = result["filename"]
        self.errors = [RowError(r, c, m, s) for r, c, m, s in result["errors"]]
        self.notes = result["notes"]
        self.count = result["rows"]
        self.rows = range(result["rows"])
        self.created = result["created"]
        self.updated = result["updated"]
        self.unchanged = result["unchanged"]

    @property
    def is_valid(self) -> bool:
        return not self.errors
