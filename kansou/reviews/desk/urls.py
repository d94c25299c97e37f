from django.urls import path

from kansou.reviews.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.desk_index, name="index"),
    path("new/", views.desk_new, name="new"),
    path("lookup/anime/", views.desk_anime_lookup, name="anime-lookup"),
    path("lookup/characters/", views.desk_characters, name="characters"),
    path("<int:review_id>/", views.desk_edit, name="edit"),
    path("<int:review_id>/preview/", views.desk_preview, name="preview"),
    path("<int:review_id>/suggest/", views.desk_suggest, name="suggest"),
    path("<int:review_id>/revisions/", views.desk_revisions, name="revisions"),
    path("<int:review_id>/revisions/<int:revision_id>/", views.desk_revision, name="revision"),
]
