from django.urls import path

from kansou.reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/<slug:slug>/", views.review_detail, name="review-detail"),
]
