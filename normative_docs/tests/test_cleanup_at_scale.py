"""A clean-up campaign over 2,000 documents opens, saves every outcome and finishes.

Its forms grow with the register (one checkbox a document to open it, an outcome and a note a
document to record it): Django's default of 1,000 posted fields refused them with 400.
"""

from __future__ import annotations

import datetime as dt

import pytest

from normative_docs.models import CleanupCampaign, CleanupItem, Document

pytestmark = pytest.mark.django_db
d = dt.date
N = 2000


def _documents_in_force(clerk, unit) -> list[int]:
    Document.objects.bulk_create(
        [
            Document(
                title=f"庙坝镇管理办法{i}",
                issuer="庙坝府发",
                drafting_unit=unit,
                created_by=clerk,
                status=Document.Status.FILED,
                year=2000 + i // 100,
                serial=i % 100 + 1,
                number=f"庙坝府发〔{2000 + i // 100}〕{i % 100 + 1}号",
                published_on=d(2020, 3, 1),
            )
            for i in range(N)
        ],
        batch_size=500,
    )
    return list(Document.objects.values_list("pk", flat=True))


def test_a_clean_up_over_2000_documents_opens_records_and_finishes(client, clerk, justice_office):
    pks = _documents_in_force(clerk, justice_office)
    client.force_login(clerk)

    response = client.post(
        "/docs/cleanups/new/",
        {"title": "2020年规范性文件集中清理", "started_on": "2020-09-01", "documents": pks},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    campaign = CleanupCampaign.objects.get()
    assert campaign.items.count() == 2000

    items = list(campaign.items.values_list("pk", flat=True))
    outcomes = {}
    for i, pk in enumerate(items):
        outcomes[f"outcome_{pk}"] = "废止" if i < 30 else "继续有效"
        outcomes[f"note_{pk}"] = "上位法已废止" if i < 30 else ""
    response = client.post(f"/docs/cleanups/{campaign.pk}/record/", outcomes)
    assert response.status_code == 302

    assert CleanupItem.objects.filter(outcome="继续有效").count() == 1970
    assert CleanupItem.objects.filter(outcome="废止", note="上位法已废止").count() == 30
    response = client.post(
        f"/docs/cleanups/{campaign.pk}/finish/", {"finished_on": "2020-11-30"}, follow=True
    )
    assert "清理已完成：共2000件，继续有效1970件，废止30件。" in response.content.decode()
