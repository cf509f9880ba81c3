"""The check of evidence files (整改佐证材料): type, size and content.

The same rules as the case attachments of `disputes` (written here so the two areas stay
independent): PDF, images, Word, Excel and OFD only, at most 20 MB, and the first bytes must be
what the extension says, so an .exe renamed .pdf is refused.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

_PDF, _PNG, _JPEG, _ZIP, _OLE = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)
# What a file of each type starts with: docx, xlsx and ofd are zip packages; doc and xls are OLE.
EVIDENCE_SIGNATURES = {
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


def validate_evidence(file) -> None:
    """Refuse a file over 20 MB, of another type than PDF, JPG, PNG, Word, Excel or OFD, or
    whose content does not match its extension.

    Raises ValidationError with a Chinese message naming the file.
    """
    name = PurePath(file.name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            f"“{name}”类型不支持：佐证材料只能是 PDF、JPG、PNG、Word、Excel 或 OFD 文件。",
            code="type",
        )
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"“{name}”过大：单个文件不能超过 20 MB。", code="size")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(EVIDENCE_SIGNATURES[suffix]):
        raise ValidationError(
            f"“{name}”的内容与扩展名{suffix}不符，可能已损坏或被改名，请上传原始文件。",
            code="content",
        )
