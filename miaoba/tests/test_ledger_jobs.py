"""A large ledger file is checked and imported in the background, the page following a
progress bar (issue 12 §7): the server's request timeout never cuts an import off.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.urls import reverse

from disputes.models import Petition
from disputes.resources import PetitionResource
from disputes.tests.ledger_data import petition_row
from miaoba import ledger_jobs
from miaoba.ledger_views import SESSION_KEY, UPLOAD_DIR

pytestmark = pytest.mark.django_db
URL = reverse("ledger_import", args=["petitions"])


def _csv(count: int) -> io.BytesIO:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(PetitionResource.headers())
    for i in range(count):
        writer.writerow(petition_row(信访人姓名=f"信访人{i}", 主要内容=f"第{i}件"))
    data = io.BytesIO(out.getvalue().encode("utf-8-sig"))
    data.name = "台账.csv"
    return data


@pytest.fixture
def small_threshold(settings):
    settings.LEDGER_BACKGROUND_FROM_ROWS = 3  # a "large" file is more than 3 rows here
    settings.LEDGER_JOBS_INLINE = True  # the job runs in the request, inside the test's transaction


def _job_in_state(client, clerk, **state) -> str:
    """Log `clerk` in, upload a 5-row file (checked as a background job) and set the job's
    state file to `state`; return the job's token."""
    client.force_login(clerk)
    client.post(URL, {"file": _csv(5)})
    token = client.session[SESSION_KEY]["token"]
    ledger_jobs.write_state(UPLOAD_DIR, token, state)
    return token


def test_a_large_file_is_checked_in_the_background_then_previewed_and_imported(
    client, clerk, small_threshold
):
    client.force_login(clerk)

    upload = client.post(URL, {"file": _csv(5)})
    token = client.session[SESSION_KEY]["token"]
    assert upload.url == f"{URL}?job={token}"

    preview = client.get(upload.url).content.decode()
    assert "共 5 件，检查无误：新增 5 件" in preview
    assert Petition.objects.count() == 0

    done = client.post(URL, {"confirm": "1", "token": token})
    assert done.url == f"{URL}?job={token}"
    finished = client.get(done.url)

    assert finished.url == reverse("disputes:petition_list")
    assert Petition.objects.count() == 5
    assert not (UPLOAD_DIR / f"{token}.json").exists()


def test_while_the_job_runs_the_page_shows_a_progress_bar_and_refreshes(
    client, clerk, small_threshold
):
    token = _job_in_state(
        client, clerk, stage="check", status="running", done=400, total=1000, beat=time.time()
    )

    page = client.get(f"{URL}?job={token}").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress value="400" max="1000">40%</progress>' in page
    assert "已检查 400 / 约 1000 行" in page
    assert "选择台账文件" not in page


def test_a_job_whose_process_died_says_so_and_writes_nothing(client, clerk, small_threshold):
    token = _job_in_state(
        client, clerk, stage="import", status="running", done=5, total=5, beat=time.time() - 3600
    )

    page = client.get(f"{URL}?job={token}", follow=True).content.decode()

    assert "导入任务已中断（服务器重启），没有写入任何数据" in page
    assert Petition.objects.count() == 0


def test_another_session_cannot_see_the_job(client, clerk, outsider, small_threshold):
    client.force_login(clerk)
    client.post(URL, {"file": _csv(5)})
    token = client.session[SESSION_KEY]["token"]

    client.force_login(outsider)

    assert client.get(f"{URL}?job={token}").status_code == 404


def test_errors_found_in_the_background_are_listed_like_a_small_files(
    client, clerk, small_threshold
):
    client.force_login(clerk)
    data = _csv(5)
    text = data.getvalue().decode("utf-8-sig").replace("2021-03-05", "2021-02-30", 1)
    bad = io.BytesIO(text.encode("utf-8-sig"))
    bad.name = "台账.csv"

    page = client.get(client.post(URL, {"file": bad}).url).content.decode()

    assert "有 1 处错误，未导入任何数据" in page
    assert "日期“2021-02-30”不存在。" in page
