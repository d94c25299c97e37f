from django.urls import path

from kansou.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.anime_list, name="anime-list"),
    path("anime/<int:pk>/", views.anime_detail, name="anime-detail"),
]
