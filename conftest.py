"""The named cast every test can use: clerk, advisor, leader, administrator, outsider."""

import pytest
from django.contrib.auth.models import Group

from miaoba.models import Unit, User
from miaoba.roles import ADMINISTRATOR, ADVISOR, AUDITOR, CLERK, LEADER


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with a fast hasher; production keeps the configured ones."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: a test's rolled-back writes also roll back the data
    version (miaoba.dataversion), so figures cached by an earlier test must not be found."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    """Keep files that tests upload out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_cache_emptied(settings, tmp_path):
    """Start and end every test with an empty reference cache (miaoba.refcache) and its own
    stamp file, so that no test sees units, users or a calendar another test cached."""
    from miaoba import refcache

    settings.REFERENCE_STAMP_FILE = tmp_path / "reference.stamp"
    refcache.clear()
    yield
    refcache.clear()


def _make_user(username: str, role: str, units: list[Unit], **extra) -> User:
    user = User.objects.create_user(username=username, password="Test#Passw0rd-2020", **extra)
    user.groups.add(Group.objects.get(name=role))
    user.units.set(units)
    return user


@pytest.fixture
def justice_office(db) -> Unit:
    """司法所: the clerk's unit."""
    return Unit.objects.create(name="司法所", kind=Unit.Kind.STATION)


@pytest.fixture
def party_office(db) -> Unit:
    """党政办公室: another unit, the outsider's."""
    return Unit.objects.create(name="党政办公室", kind=Unit.Kind.OFFICE)


@pytest.fixture
def clerk(justice_office) -> User:
    return _make_user("clerk", CLERK, [justice_office], last_name="李", first_name="文静")


@pytest.fixture
def outsider(party_office) -> User:
    """A clerk of another unit."""
    return _make_user("outsider", CLERK, [party_office], last_name="周", first_name="建国")


@pytest.fixture
def advisor(db) -> User:
    return _make_user("advisor", ADVISOR, [], last_name="陈", first_name="律师")


@pytest.fixture
def leader(party_office) -> User:
    return _make_user("leader", LEADER, [party_office], last_name="王", first_name="镇长")


@pytest.fixture
def administrator(party_office) -> User:
    return _make_user("administrator", ADMINISTRATOR, [party_office], is_staff=True)


@pytest.fixture
def auditor(db) -> User:
    """审计员: reads the security log and nothing else (三员分立)."""
    return _make_user("auditor", AUDITOR, [], is_staff=True, last_name="钱", first_name="审计")


# Most queries a list page may run once the reference lists are cached (issue 13): session,
# user, permissions (2), count, page, and up to three for the page's own figures and prefetches.
LIST_PAGE_QUERIES = 9


@pytest.fixture
def list_page(client, django_assert_max_num_queries):
    """Return `open(url)`: GET `url` once to fill this process's reference cache
    (miaoba.refcache: units, users, the calendar, the header), then again counting queries
    (at most LIST_PAGE_QUERIES); return the second response, asserted 200."""

    def open_page(url: str):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(LIST_PAGE_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        return response

    return open_page
