"""The ``pairs`` namespace, under ``/recommendations/``: readers' and reviews' recommendation
pairs ("if you liked X, watch Y"), their forms and their moderation queue."""

from django.urls import path

from kansou.discovery import pairs_views

app_name = "pairs"
urlpatterns = [
    path("", pairs_views.pairs_list, name="list"),
    path("anime/<int:anime_id>/", pairs_views.anime_pairs_page, name="anime"),
    path("anime/<int:anime_id>/add/", pairs_views.pair_add, name="add"),
    path("<int:pk>/agree/", pairs_views.pair_agree_page, name="agree"),
    path("<int:pk>/delete/", pairs_views.pair_delete_page, name="delete"),
    path("moderation/", pairs_views.pairs_moderation_page, name="moderation"),
    path("moderation/<int:pk>/", pairs_views.pairs_moderation_act, name="moderation-act"),
]
