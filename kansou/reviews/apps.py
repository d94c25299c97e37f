from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kansou.reviews"
    label = "reviews"
    verbose_name = "Reviews"
