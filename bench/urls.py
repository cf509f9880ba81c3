"""The project's URLs plus the bench-only admin at /bench-admin/ (see `bench.admin`)."""

from django.urls import path

from bench.admin import site
from miaoba.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("bench-admin/", site.urls)]
