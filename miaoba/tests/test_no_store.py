"""No response to a logged-in user and no file download may be stored by a browser or proxy
(issue 14 point 6; 《个人信息保护法》第五十一条, GB/T 22239-2019 8.1.4.8 剩余信息保护).

The pages that hold personal data in full (显示完整信息), the ledger files, the attachments and
the evidence are checked by name; then every URL of the permission matrix is opened by a role
that may open it, and each answer must forbid storing it.
"""

import pytest
from django.db import transaction
from django.test import Client

from miaoba.permissions_matrix import MATRIX
from miaoba.tests.test_permission_matrix import ALL_PATTERNS, _path

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_petition_shown_in_full_is_not_stored(client, clerk, world):
    client.force_login(clerk)
    response = client.get(f"/disputes/petitions/{world.petition.pk}/?full=1")
    assert response.status_code == 200
    assert world.petition.petitioner_links.first().person.id_number in response.content.decode()
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_ledger_file_is_not_stored(client, clerk, world, fmt):
    assert world.petition.number == "信〔2020〕1号"  # one row
    client.force_login(clerk)
    response = client.get(f"/ledger/petitions/export/?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


def test_an_attachment_and_a_piece_of_evidence_are_not_stored(client, clerk, world):
    client.force_login(clerk)
    for url in (
        f"/disputes/files/{world.attachment.pk}/",
        f"/tasks/evidence/{world.evidence.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def test_static_files_keep_their_caching(client, clerk):
    """Only what is shown to a user is never stored; the stylesheet may be."""
    client.force_login(clerk)
    response = client.get("/login/")
    assert _no_store(response)  # Django's own never_cache on the login page
    anonymous = Client()
    assert not _no_store(anonymous.get("/nothing-here/"))


@pytest.mark.parametrize("key", [key for key, _ in ALL_PATTERNS])
def test_every_page_a_role_may_open_is_not_stored(key, cast, world):
    route, pattern = dict(ALL_PATTERNS)[key]
    allowed = MATRIX.get(key, {}).get("GET", {})
    role = next(
        (r for r in ("clerk", "advisor", "leader", "administrator") if allowed.get(r) == "ok"), None
    )
    if role is None:
        pytest.skip(f"{key}: no role opens it with GET")
    client = Client(raise_request_exception=False)
    client.force_login(cast[role])
    with transaction.atomic():
        response = client.get(_path(world, key, route, pattern))
        transaction.set_rollback(True)
    assert response.status_code in (200, 302, 429), (key, response.status_code)
    assert _no_store(response), f"{key} 以{role}打开时缺少 Cache-Control: no-store"
