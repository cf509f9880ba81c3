"""Notice pages (文书): issue one for a record, download it as Word or open its print view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from miaoba.caseviews import registered_record
from miaoba.gongwen import DOCX
from miaoba.models import IssuedNotice
from miaoba.notices import notice_docx, notice_issue, registry


@require_POST
def notice_issue_view(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """出具: give the record's notice its number and put it on the timeline (once)."""
    kind, record = registered_record(request, registry(), key, pk, unknown="没有这种文书")
    try:
        issued = notice_issue(kind, record, by=request.user)
    except ValidationError as e:
        messages.error(request, f"未出具{kind.title}：{'；'.join(e.messages)}")
    else:
        messages.success(request, f"已出具{kind.title}，文号 {issued.number}")
    return redirect(kind.detail_url, pk=record.pk)


@require_http_methods(["GET"])
def notice_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Send an issued notice as Word (fmt "docx") or show its print view (fmt "print")."""
    issued = get_object_or_404(IssuedNotice, pk=pk)
    if fmt not in {"docx", "print"}:
        raise Http404("没有这种文书")
    kind, record = registered_record(
        request, registry(), issued.kind, issued.object_id, unknown="没有这种文书", perm="view_perm"
    )
    text = kind.build(record, issued)
    if fmt == "docx":
        response = HttpResponse(notice_docx(text), content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{text.title}（{text.number}）.docx"
        )
        return response
    return render(request, "notice_print.html", {"text": text, "issued": issued})
