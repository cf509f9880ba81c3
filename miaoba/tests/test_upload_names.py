"""An uploaded file downloads under the name it was uploaded with (附件保留原文件名)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes.tests.builders import register_petition
from miaoba.storage import keep_name
from tasks import services as task_services
from tasks.tests.builders import pdf, task

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _download_name(response) -> str:
    """The file name a browser saves, from Content-Disposition (RFC 6266 filename*)."""
    header = response["Content-Disposition"]
    assert "filename*=utf-8''" in header, header
    return unquote(header.split("filename*=utf-8''", 1)[1])


def test_two_photos_of_the_same_name_both_download_under_that_name(client, clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=dt.date(2020, 3, 2))
    client.force_login(clerk)
    for title in ("第一次现场照片", "第二次现场照片"):
        client.post(
            f"/disputes/files/petition/{petition.pk}/upload/",
            {"title": title, "file": SimpleUploadedFile("现场照片（一）.jpg", JPEG, "image/jpeg")},
        )
    first, second = petition.attachments.order_by("pk")
    for attachment in (first, second):
        response = client.get(f"/disputes/files/{attachment.pk}/")
        assert _download_name(response) == "现场照片（一）.jpg"
    # two files on disk, neither overwritten
    assert first.file.path != second.file.path


def test_evidence_keeps_its_name_with_spaces_and_brackets(client, clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    task_services.task_add_progress(
        t,
        by=clerk,
        on=dt.date(2021, 2, 1),
        text="已召开专题会",
        files=[pdf("2021年 第1次 专题会议纪要【定稿】.pdf")],
    )
    client.force_login(clerk)
    response = client.get(f"/tasks/evidence/{t.evidence.get().pk}/")
    assert _download_name(response) == "2021年 第1次 专题会议纪要【定稿】.pdf"


def test_a_name_loses_only_what_a_file_system_cannot_hold():
    assert keep_name("现场照片（一）.jpg") == "现场照片（一）.jpg"
    assert keep_name("../../etc/passwd") == "etcpasswd"
    assert keep_name("a\x00b\n.pdf") == "ab.pdf"
    long = keep_name("很" * 100 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 200
