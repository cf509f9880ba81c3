"""Uploaded files (附件): the types a township keeps and how their content is checked.

One check for every upload of the project: a case's attachments (`disputes`), the files sent
with a legal review (`normative_docs`). Migrations of `disputes` name the validator as
`disputes.models.validate_upload`, which imports it from here.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


_PDF, _PNG, _JPEG, _ZIP, _OLE = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)
# What a file of each type starts with: docx, xlsx and ofd are zip packages; doc and xls are OLE.
UPLOAD_SIGNATURES = {
    ".pdf": _PDF,
    ".png": _PNG,
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".ofd": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
}


def upload_problem(file) -> str:
    """Return what is wrong with an uploaded file, as a ValidationError code: "type" (not PDF,
    image, Word, Excel or OFD), "size" (over 20 MB), "content" (its first bytes are not what its
    extension says, e.g. an .exe renamed .pdf); "" when nothing is."""
    suffix = PurePath(file.name).suffix.lower()
    if suffix not in UPLOAD_SIGNATURES:
        return "type"
    if file.size > MAX_UPLOAD_BYTES:
        return "size"
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    return "" if head.startswith(UPLOAD_SIGNATURES[suffix]) else "content"


def validate_upload(file) -> None:
    """Refuse files over 20 MB, of another type than PDF, image, Word, Excel or OFD, or whose
    content is not what the name says (an .exe renamed .pdf).

    Raises ValidationError with a Chinese message.
    """
    suffix = PurePath(file.name).suffix.lower()
    messages = {
        "type": "文件类型不支持：只能上传 PDF、JPG、PNG、Word、Excel 或 OFD 文件。",
        "size": "文件过大：单个文件不能超过 20 MB。",
        "content": f"文件内容与扩展名{suffix}不符，可能已损坏或被改名，请上传原始文件。",
    }
    if problem := upload_problem(file):
        raise ValidationError(messages[problem], code=problem)
