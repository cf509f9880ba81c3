"""The ledger commands: `export_ledger` and `import_ledger`."""

import io

import pytest
from django.core.management import CommandError, call_command

from disputes.models import Petition
from disputes.resources import DisputeResource, PetitionResource
from disputes.tests.ledger_data import (
    dispute_row,
    disputes_in_every_state,
    petition_row,
    petitions_in_every_state,
)
from miaoba.models import User
from miaoba.tests.ledger_files import read_xlsx, xlsx_bytes


@pytest.mark.django_db
def test_export_then_import_round_trips_from_the_command_line(
    tmp_path, clerk, leader, justice_office
):
    petitions_in_every_state(6, clerk=clerk, leader=leader, unit=justice_office)
    path = tmp_path / "信访件台账.xlsx"
    out = io.StringIO()

    call_command("export_ledger", "petitions", str(path), stdout=out)
    call_command("import_ledger", "petitions", str(path), "--user", "clerk", stdout=out)

    assert len(read_xlsx(path.read_bytes())) == 1 + 6
    assert "已导出信访件台账 6 件" in out.getvalue()
    assert "已导入 6 件（新增 0，更新 6，其中 6 件无变化）" in out.getvalue()
    assert Petition.objects.count() == 6


@pytest.mark.django_db
def test_export_csv_is_utf8_with_bom(tmp_path, clerk, justice_office):
    disputes_in_every_state(2, clerk=clerk, unit=justice_office)
    path = tmp_path / "纠纷.csv"

    call_command("export_ledger", "disputes", str(path), stdout=io.StringIO())

    assert path.read_bytes().startswith("\ufeff编号,登记日期,纠纷来源".encode())


@pytest.mark.django_db
def test_invalid_file_exits_non_zero_with_every_error_in_chinese(tmp_path, clerk, justice_office):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                PetitionResource.headers(),
                petition_row(),
                petition_row(登记日期="2021-3-5号"),
                petition_row(状态="已办结"),
            ]
        )
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="文件中有 4 处错误，未导入任何数据。"):
        call_command("import_ledger", "petitions", str(path), "--user", "clerk", stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("行 3，列「登记日期」：日期格式不正确：“2021-3-5号”。")
    assert lines[1:] == [
        "行 4，列「受理决定日期」：状态为“已办结”时必须填写。",
        "行 4，列「办结日期」：状态为“已办结”时必须填写。",
        "行 4，列「处理意见」：状态为“已办结”时必须填写。",
    ]
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(tmp_path, clerk, justice_office):
    path = tmp_path / "纠纷.xlsx"
    path.write_bytes(xlsx_bytes([DisputeResource.headers(), dispute_row()]))
    out = io.StringIO()

    call_command("import_ledger", "disputes", str(path), "--dry-run", "--user", "clerk", stdout=out)

    assert "检查通过（未写入）：矛盾纠纷台账共 1 件（新增 1，更新 0）。" in out.getvalue()
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_default_user_is_the_first_superuser(tmp_path, justice_office):
    root = User.objects.create_superuser("root", password="Test#Passw0rd-2020")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes([PetitionResource.headers(), petition_row()]))

    call_command("import_ledger", "petitions", str(path), stdout=io.StringIO())

    assert Petition.objects.get().created_by == root


@pytest.mark.django_db
def test_without_a_superuser_or_user_the_command_refuses_in_chinese(tmp_path, justice_office):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes([PetitionResource.headers(), petition_row()]))

    with pytest.raises(CommandError, match="系统中没有超级用户，请用 --user 指定"):
        call_command("import_ledger", "petitions", str(path))


@pytest.mark.django_db
def test_user_without_add_permission_is_refused(tmp_path, leader):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes([PetitionResource.headers(), petition_row()]))

    with pytest.raises(CommandError, match="没有导入信访件台账的权限"):
        call_command("import_ledger", "petitions", str(path), "--user", "leader")


@pytest.mark.django_db
def test_unreadable_file_type_is_refused_in_chinese(tmp_path, clerk):
    path = tmp_path / "台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(CommandError, match="只能导入 .xlsx 或 .csv 格式的台账文件。"):
        call_command("import_ledger", "petitions", str(path), "--user", "clerk")
