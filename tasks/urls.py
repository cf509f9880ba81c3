"""URLs of the problem and rectification-task registers (问题, 整改任务)."""

from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("verify/", views.verify_queue, name="verify_queue"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/void/", views.task_void, name="task_void"),
    path("<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("<int:pk>/<str:step>/", views.task_step, name="task_step"),
    path("milestones/<int:pk>/reach/", views.milestone_reach, name="milestone_reach"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
]
