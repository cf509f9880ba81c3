"""URLs of normative documents (规范性文件), reviews (法律顾问审查) and major decisions."""

from django.urls import path

from normative_docs import views

app_name = "normative_docs"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/void/", views.document_void, name="document_void"),
    path("documents/<int:pk>/<str:step>/", views.document_step, name="document_step"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/complete/", views.review_complete, name="review_complete"),
    path("reviews/<int:pk>/adoption/", views.review_adoption, name="review_adoption"),
    path("reviews/<int:pk>/files/", views.review_file_upload, name="review_file_upload"),
    path("reviews/files/<int:pk>/", views.review_file_download, name="review_file_download"),
    path("advisors/", views.advisor_list, name="advisor_list"),
    path("advisors/new/", views.advisor_create, name="advisor_create"),
    path("advisors/<int:pk>/", views.advisor_edit, name="advisor_edit"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/<str:step>/", views.decision_step, name="decision_step"),
    path("cleanups/", views.cleanup_list, name="cleanup_list"),
    path("cleanups/new/", views.cleanup_create, name="cleanup_create"),
    path("cleanups/<int:pk>/", views.cleanup_detail, name="cleanup_detail"),
    path("cleanups/<int:pk>/record/", views.cleanup_record, name="cleanup_record"),
    path("cleanups/<int:pk>/finish/", views.cleanup_finish, name="cleanup_finish"),
]
