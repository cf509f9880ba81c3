"""URLs of 法治政府建设工作台."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from miaoba import ledger_views, views, views_corrections, views_notices, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("ledger/<str:kind>/export/", ledger_views.ledger_export, name="ledger_export"),
    path("ledger/<str:kind>/import/", ledger_views.ledger_import, name="ledger_import"),
    path("correct/<str:kind>/<int:pk>/", views_corrections.correct_record, name="correct"),
    path("notices/<str:key>/<int:pk>/issue/", views_notices.notice_issue_view, name="notice_issue"),
    path("notices/<int:pk>/<str:fmt>/", views_notices.notice_download, name="notice_download"),
    path("disputes/", include("disputes.urls")),
    path("tasks/", include("tasks.urls")),
    path("docs/", include("normative_docs.urls")),
    path("reports/", include("reports.urls")),
    path("reconsideration/", include("reconsideration.urls")),
    path("system/lockouts/", views_security.lockout_list, name="lockout_list"),
    path("system/lockouts/unlock/", views_security.lockout_unlock, name="lockout_unlock"),
    path("admin/", admin.site.urls),
]
