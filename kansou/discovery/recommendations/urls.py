from django.urls import path

from kansou.discovery.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.discover, name="discover"),
]
