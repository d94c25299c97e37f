from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kansou.core"
    label = "core"

    def ready(self) -> None:
        from kansou.core.changes import ANIME_LISTENERS, REVIEW_LISTENERS
        from kansou.core.pagecache import content_changed

        # Cached pages and review fragments show catalog facts and reviews.
        ANIME_LISTENERS["pages"] = content_changed
        REVIEW_LISTENERS["pages"] = content_changed
