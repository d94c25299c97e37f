"""Accounts (Django's auth views under ``accounts/``, names unnamespaced as Django expects) and
the ``community`` namespace: sign-up, profiles and lists."""

from django.urls import include, path

from kansou.community import accounts, views

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
]

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include((community_patterns, "community"))),
]
