"""Accounts (Django's auth views under ``accounts/``, names unnamespaced as Django expects) and
the ``community`` namespace: sign-up, profiles, lists, comments and moderation."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from kansou.community import accounts, views
from kansou.community.comments import views as comments_views
from kansou.community.login_limits import LimitedAuthenticationForm

community_patterns = [
    path("accounts/sign-up/", accounts.sign_up, name="sign-up"),
    path("u/<str:username>/", accounts.profile, name="profile"),
    path("u/<str:username>/list/", views.reader_list_page, name="list"),
    path("list/", views.my_list, name="my-list"),
    path("list/privacy/", views.list_privacy, name="list-privacy"),
    path("list/import/", views.list_import, name="list-import"),
    path("list/export.<str:fmt>", views.list_export, name="list-export"),
    path("list/<int:anime_id>/", views.entry_save, name="entry-save"),
    path("list/<int:anime_id>/edit/", views.entry_edit, name="entry-edit"),
    path("list/<int:anime_id>/delete/", views.entry_delete, name="entry-delete"),
    path("reviews/<slug:slug>/comments/", comments_views.comment_create, name="comment-create"),
    path("comments/<int:pk>/edit/", comments_views.comment_edit_page, name="comment-edit"),
    path("comments/<int:pk>/delete/", comments_views.comment_delete_page, name="comment-delete"),
    path("comments/<int:pk>/report/", comments_views.comment_report_view, name="comment-report"),
    path("moderation/", comments_views.moderation_page, name="moderation"),
    path("moderation/<int:pk>/", comments_views.moderation_act, name="moderation-act"),
]

urlpatterns = [
    # Django's log-in view with failed-log-in limits (before auth.urls, which has its own).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LimitedAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include((community_patterns, "community"))),
]
