"""Written notices (文书) in 公文 style, filled from the record: one renderer for every area.

A case produces notices: a petition its 受理告知书, 不予受理告知书, 延期办理告知书, 处理意见书
and 复查意见书; a dispute its 人民调解申请书 and 人民调解协议书; a task its 整改通知书 and 督办单.
Each area declares its kinds in `<app>/notices.py` as `NOTICES = {key: NoticeKind(...)}`:
its title, the record it belongs to, when it may be issued, the number's 代字 and the text,
built from the record (`build(record, issued) -> NoticeText`) with the legal basis it cites.

Issuing (出具) gives the notice its own number, `代字〔年份〕序号号` (serials per 代字 and year,
gapless, `miaoba.workflow.allocate_serial`), stores it (`miaoba.models.IssuedNotice`) and
writes it on the record's timeline (办理过程). A notice is issued once per record; it is then
downloaded as Word (GB/T 9704 format, `miaoba.gongwen`) or opened as a print view, as often as
needed, always with the same number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from miaoba import gongwen as g
from miaoba.cleaning import xml_safe


@dataclass(frozen=True)
class NoticeText:
    """What a notice says, in order.

    - `title`: 信访事项受理告知书; `number`: 庙坝信受告〔2020〕3号;
    - `addressee`: whom it is addressed to ("向明："), or "" for a form such as a 申请书;
    - `rows`: (label, value) lines of a form (当事人, 纠纷事实 ...), printed as a table;
    - `paragraphs`: the body, each a paragraph; `basis`: the law and articles it cites,
      printed as its own line (依据：…);
    - `issuer` and `date`: the signature (庙坝镇人民政府, 2020年9月18日);
    - `signatures`: lines left for hand signatures (申请人（签名）：) under the body.
    """

    title: str
    number: str
    paragraphs: tuple[str, ...]
    basis: str
    issuer: str
    date: dt.date
    addressee: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notice an area issues.

    `model`: the record's model; `prefix`: the number's 代字 (庙坝信受告); `available(record)`
    returns "" when it may be issued now, else why not; `build(record, issued)` returns the
    NoticeText; `perm`: to issue it (the record's change permission); `detail_url`: the
    record's page; `event(record, by, on, note)` writes the timeline entry; `date(record)`: the
    date the notice bears (that of the step it tells of), which also gives its number's year;
    None for today.
    """

    key: str
    title: str
    model: type[models.Model]
    prefix: str
    available: Callable[[models.Model], str]
    build: Callable[[models.Model, object], NoticeText]
    perm: str
    view_perm: str
    visible: Callable
    detail_url: str
    event: Callable
    date: Callable[[models.Model], dt.date] = field(default=lambda record: None)


def registry() -> dict[str, NoticeKind]:
    """Return every area's notice kinds: {key: NoticeKind} from `<app>/notices.py`."""
    from miaoba.roles import area_modules

    found: dict[str, NoticeKind] = {}
    for module in area_modules("notices"):
        found.update(module.NOTICES)
    return found


def kinds_for(model: type[models.Model]) -> list[NoticeKind]:
    """Return the notice kinds of records of `model`, in declared order."""
    return [kind for kind in registry().values() if kind.model is model]


def issued_for(record) -> list:
    """Return the notices issued for `record`, oldest first (one query)."""
    from miaoba.models import IssuedNotice

    ct = ContentType.objects.get_for_model(type(record))
    return list(IssuedNotice.objects.filter(content_type=ct, object_id=record.pk).order_by("pk"))


@transaction.atomic
def notice_issue(kind: NoticeKind, record, *, by, on: dt.date | None = None):
    """Issue notice `kind` for `record` (出具): number it, store it, put it on the timeline.

    Returns the IssuedNotice; a notice already issued for the record is returned as it is (its
    number never changes). Raises ValidationError when the record's state does not allow it
    (`kind.available`), e.g. a 受理告知书 before 受理, or the record is voided.
    """
    from miaoba.models import IssuedNotice
    from miaoba.workflow import allocate_serial, today

    ct = ContentType.objects.get_for_model(type(record))
    existing = IssuedNotice.objects.filter(content_type=ct, object_id=record.pk, kind=kind.key)
    if existing.exists():
        return existing.get()
    if getattr(record, "is_voided", False):
        raise ValidationError("该记录已作废，不能出具文书。")
    why = kind.available(record)
    if why:
        raise ValidationError(why)
    # dated as the step it tells of (a 受理告知书 on the day of 受理), numbered in that year
    on = on or kind.date(record) or today()
    serial = allocate_serial(kind.prefix, on.year)
    issued = IssuedNotice.objects.create(
        content_type=ct,
        object_id=record.pk,
        kind=kind.key,
        title=kind.title,
        year=on.year,
        serial=serial,
        number=f"{kind.prefix}〔{on.year}〕{serial}号",
        issued_on=on,
        issued_by=by,
    )
    kind.event(record, by=by, on=on, note=f"文号 {issued.number}")
    return issued


def notice_docx(text: NoticeText) -> bytes:
    """Return the notice as .docx bytes in the 公文 format (see `miaoba.gongwen`)."""
    doc = g.new_document()
    p = g.paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.line_spacing = g.Pt(35)
    g.font(p.add_run(xml_safe(text.title)), g.FONT_TITLE, g.SIZE_TITLE)
    g.body(doc, text.number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    g.paragraph(doc, indent=False)
    if text.addressee:
        g.body(doc, text.addressee, indent=False)
    if text.rows:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (g.Mm(40), g.Mm(116))  # the type area is 156 mm wide
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for label, value in text.rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = widths
            for cell, content in ((cells[0], label), (cells[1], value)):
                cell.paragraphs[0].paragraph_format.line_spacing = g.LINE
                g.font(cell.paragraphs[0].add_run(xml_safe(content)), g.FONT_BODY, g.SIZE_BODY)
    for para in text.paragraphs:
        g.body(doc, para)
    if text.basis:
        g.body(doc, f"依据：{text.basis}")
    for line in text.signatures:
        g.paragraph(doc, indent=False)
        g.body(doc, line, indent=False)
    g.paragraph(doc, indent=False)
    for line in (text.issuer, g.cn_date(text.date)):
        p = g.paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = g.INDENT * 2
        g.font(p.add_run(xml_safe(line)), g.FONT_BODY, g.SIZE_BODY)
    return g.docx_bytes(doc)
