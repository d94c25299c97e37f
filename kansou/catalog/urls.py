from django.urls import path

from kansou.catalog import editing, views

app_name = "catalog"
urlpatterns = [
    path("anime/", views.anime_list, name="anime-list"),
    path("anime/", views.anime_list, name="anime-index"),
    path("anime/<int:pk>/", views.anime_detail, name="anime-detail"),
    path("anime/<int:pk>/edit/", editing.anime_edit, name="anime-edit"),
    path("anime/<int:pk>/edit/reset/", editing.anime_edit_reset, name="anime-edit-reset"),
    path("anime/<int:pk>/edit/tags/", editing.anime_edit_tags, name="anime-edit-tags"),
    path(
        "anime/<int:pk>/edit/companies/", editing.anime_edit_companies, name="anime-edit-companies"
    ),
    path("anime/<int:pk>/edit/titles/", editing.anime_edit_titles, name="anime-edit-titles"),
    path("anime/<int:pk>/edit/staff/", editing.anime_edit_staff, name="anime-edit-staff"),
    path(
        "anime/<int:pk>/edit/characters/",
        editing.anime_edit_characters,
        name="anime-edit-characters",
    ),
]
