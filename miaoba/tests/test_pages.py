"""Login is required everywhere; each demo login reaches its workbench."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from miaoba.demo import USERS, load_demo


def _plain_urls(patterns=None, prefix=""):
    """Yield every URL of the project that takes no parameters."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _plain_urls(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
            yield "/" + prefix + route.lstrip("^").rstrip("$")


OPEN = {"/login/", "/admin/login/"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(set(_plain_urls()) - OPEN))
def test_anonymous_request_to_any_page_redirects_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/login/", "/admin/login/"))


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get("/login/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "用户登录" in text
    assert "用户名" in text and "密码" in text


@pytest.mark.django_db
def test_wrong_password_says_so_in_chinese_and_keeps_username(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": "wrong"})
    text = response.content.decode()
    assert "用户名或密码不正确" in text
    assert 'value="clerk"' in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,password,name,role", [(u[0], u[1], u[2] + u[3], u[5]) for u in USERS]
)
def test_each_demo_login_reaches_its_workbench(client, settings, username, password, name, role):
    load_demo()
    response = client.post("/login/", {"username": username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    text = response.content.decode()
    assert "我的工作台" in text
    assert name in text
    assert role in text


@pytest.mark.django_db
def test_load_demo_twice_leaves_one_copy():
    from miaoba.models import Unit, User, Village

    load_demo()
    counts = (Unit.objects.count(), Village.objects.count(), User.objects.count())
    load_demo()
    assert (Unit.objects.count(), Village.objects.count(), User.objects.count()) == counts
    assert counts == (13, 8, 6)  # 6 demo users: one of each role, a second clerk


@pytest.mark.django_db
def test_menu_names_every_area(client, clerk):
    client.force_login(clerk)
    text = client.get("/").content.decode()
    for area in [
        "信访件",
        "矛盾纠纷",
        "规范性文件",
        "法律顾问审查",
        "整改任务",
        "工作记录",
        "统计",
        "年度报告",
    ]:
        assert area in text
    assert "系统管理" not in text


@pytest.mark.django_db
def test_administrator_sees_system_management(client, administrator):
    client.force_login(administrator)
    assert "系统管理" in client.get("/").content.decode()


@pytest.mark.django_db
def test_logout_returns_to_login(client, clerk):
    client.force_login(clerk)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_change_page_is_chinese(client, clerk):
    client.force_login(clerk)
    text = client.get("/password/").content.decode()
    assert "旧密码" in text and "新密码" in text


@pytest.mark.django_db
def test_workbench_lists_the_users_overdue_items_nearest_first(client, clerk, justice_office):
    import datetime as dt

    from disputes import services as s
    from disputes.tests.builders import register_petition

    for day in (2, 5):
        register_petition(
            by=clerk,
            received_on=dt.date(2020, 3, day),
            channel="来信",
            unit=justice_office,
            summary="反映问题",
            petitioners=[s.PersonData(name=f"人{day}")],
        )
    client.force_login(clerk)
    text = client.get("/").content.decode()
    assert "超期与临近到期事项" in text
    first, second = text.index("信〔2020〕1号 受理期限"), text.index("信〔2020〕2号 受理期限")
    assert first < second
    assert "light-red" in text


@pytest.mark.django_db
def test_menu_shows_only_the_areas_the_user_may_open(client, advisor):
    client.force_login(advisor)
    text = client.get("/").content.decode()
    assert "法律顾问审查" in text
    for area in ("信访件", "矛盾纠纷", "规范性文件", "整改任务", "年度报告"):
        assert f">{area}<" not in text
