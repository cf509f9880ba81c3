"""The check of evidence files (整改佐证材料): type, size and content.

The same rules as every upload (`miaoba.uploads.upload_problem`): PDF, images, Word, Excel and
OFD only, at most 20 MB, and the first bytes must be what the extension says, so an .exe
renamed .pdf is refused. The messages name the file, as several are uploaded at once.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError

from miaoba.uploads import upload_problem


def validate_evidence(file) -> None:
    """Refuse a file over 20 MB, of another type than PDF, JPG, PNG, Word, Excel or OFD, or
    whose content does not match its extension.

    Raises ValidationError with a Chinese message naming the file.
    """
    name = PurePath(file.name).name
    suffix = PurePath(name).suffix.lower()
    messages = {
        "type": f"“{name}”类型不支持：佐证材料只能是 PDF、JPG、PNG、Word、Excel 或 OFD 文件。",
        "size": f"“{name}”过大：单个文件不能超过 20 MB。",
        "content": f"“{name}”的内容与扩展名{suffix}不符，可能已损坏或被改名，请上传原始文件。",
    }
    if problem := upload_problem(file):
        raise ValidationError(messages[problem], code=problem)
