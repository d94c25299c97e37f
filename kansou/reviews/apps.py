from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kansou.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The "Reviews" section of an anime's page (the catalog cannot import reviews).
        from kansou.reviews.panels import register_panels

        register_panels()
