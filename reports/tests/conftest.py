"""The demo township, loaded once for a test module and rolled back after it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """Load `load_demo` once for the module inside a transaction that is rolled back at its end.

    Each test still runs in its own savepoint (request `db`), so what a test writes is undone
    before the next test; the demo (about a minute to load) is loaded once.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_data, db):
    """The demo township for one test (its writes are rolled back after it)."""
