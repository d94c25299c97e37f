from django.urls import path

from kansou.discovery import views_recs

app_name = "recommendations"
urlpatterns = [
    path("", views_recs.discover, name="discover"),
]
