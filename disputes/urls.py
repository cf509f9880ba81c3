"""URLs of the petition and dispute registers."""

from django.urls import path

from disputes import views

app_name = "disputes"

urlpatterns = [
    path("petitions/", views.petition_list, name="petition_list"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/void/", views.petition_void, name="petition_void"),
    path("petitions/<int:pk>/<str:step>/", views.petition_step, name="petition_step"),
    path("cases/", views.dispute_list, name="dispute_list"),
    path("cases/new/", views.dispute_create, name="dispute_create"),
    path("cases/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("cases/<int:pk>/void/", views.dispute_void, name="dispute_void"),
    path("cases/<int:pk>/<str:step>/", views.dispute_step, name="dispute_step"),
    path("files/<str:kind>/<int:pk>/upload/", views.attachment_upload, name="attachment_upload"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
