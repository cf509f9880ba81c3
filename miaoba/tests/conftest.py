"""Fixtures of the permission-matrix walk, shared by the tests that walk every URL again
(no-store, create-once, GET parameters): `cast` (the five roles) and `world` (the records the
URLs point at)."""

from miaoba.tests.test_permission_matrix import cast, world  # noqa: F401
