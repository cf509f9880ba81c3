"""URLs of the dashboard, work records, year figures and the annual report."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("records/", views.record_list, name="record_list"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/void/", views.record_void, name="record_void"),
    path("figures/", views.yearfigure_list, name="yearfigure_list"),
    path("annual/", views.report_list, name="report_list"),
    path("annual/<int:year>/", views.report_detail, name="report_detail"),
    path("annual/<int:year>/header/", views.report_header, name="report_header"),
    path("annual/<int:year>/sections/<int:order>/", views.section_edit, name="section_edit"),
    path(
        "annual/<int:year>/sections/<int:order>/reset/",
        views.section_reset,
        name="section_reset",
    ),
    path("annual/<int:year>/finalise/", views.report_finalise, name="report_finalise"),
    path("annual/<int:year>/reopen/", views.report_reopen, name="report_reopen"),
    path("annual/<int:year>/export/<str:fmt>/", views.report_export, name="report_export"),
]
