"""The ``pairs`` namespace, under ``/recommendations/``: readers' and reviews' recommendation
pairs ("if you liked X, watch Y"), their forms and their moderation queue."""

from django.urls import path

from kansou.discovery.pairs import views

app_name = "pairs"
urlpatterns = [
    path("", views.pairs_list, name="list"),
    path("anime/<int:anime_id>/", views.anime_pairs_page, name="anime"),
    path("anime/<int:anime_id>/add/", views.pair_add, name="add"),
    path("<int:pk>/agree/", views.pair_agree_page, name="agree"),
    path("<int:pk>/delete/", views.pair_delete_page, name="delete"),
    path("moderation/", views.pairs_moderation_page, name="moderation"),
    path("moderation/<int:pk>/", views.pairs_moderation_act, name="moderation-act"),
]
