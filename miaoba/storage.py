"""File storage that keeps an uploaded file's own name (附件保留原文件名).

Django's default storage rewrites names: "现场照片（一）.jpg" became "现场照片一.jpg" (its valid
name drops full-width brackets and spaces), and a second file of the same name became
"现场照片一_gy2fcN9.jpg". Clerks name scans with care; the name they gave is the name they get
back when downloading. Here:

- a name keeps every character except path separators and control characters, and is cut (in
  its stem, keeping the extension) to the file system's limit and the column's length;
- a second file of the same name in the same folder goes into a numbered sub-folder
  (`…/2/现场照片（一）.jpg`), so its own name is unchanged.

Files are still never served from disk directly: views check permissions and stream them.
"""

from __future__ import annotations

import os
import unicodedata

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage

# ext4 and most file systems allow 255 bytes a name; leave room for a rename by backup tools.
MAX_NAME_BYTES = 200


def keep_name(name: str) -> str:
    """Return `name` as stored: NFC, no "/", "\\" or control characters, no leading dot,
    at most 200 bytes in UTF-8 (the stem is shortened, the extension kept); "附件" if empty."""
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(
        ch for ch in name if ch not in "/\\" and not unicodedata.category(ch).startswith("C")
    )
    name = name.strip().lstrip(".").strip()
    stem, suffix = os.path.splitext(name)
    if len(suffix.encode()) > 20:
        stem, suffix = name, ""
    while stem and len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem + suffix) or "附件"


class OriginalNameStorage(FileSystemStorage):
    """FileSystemStorage that keeps uploaded names and avoids clashes with sub-folders."""

    def get_valid_name(self, name: str) -> str:
        return keep_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """Return `name` if free, else `<folder>/<n>/<file>` with the first free n from 2.

        The file's stem is shortened when the path would pass `max_length` characters; raises
        SuspiciousFileOperation when even a one-character stem cannot fit.
        """
        folder, base = os.path.split(str(name).replace("\\", "/"))

        def fit(where: str) -> str:
            path = os.path.join(where, base)
            if max_length is None or len(path) <= max_length:
                return path
            stem, suffix = os.path.splitext(base)
            keep = len(stem) - (len(path) - max_length)
            if keep < 1:
                raise SuspiciousFileOperation(
                    f"文件名过长，无法保存：{base}。请缩短文件名后重新上传。"
                )
            return os.path.join(where, stem[:keep] + suffix)

        candidate, n = fit(folder), 1
        while self.exists(candidate):
            n += 1
            candidate = fit(os.path.join(folder, str(n)))
        return candidate
