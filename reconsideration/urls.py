"""URLs of the 行政复议/行政应诉 register."""

from django.urls import path

from reconsideration import views

app_name = "reconsideration"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/void/", views.case_void, name="case_void"),
    path("<int:pk>/<str:step>/", views.case_step, name="case_step"),
]
