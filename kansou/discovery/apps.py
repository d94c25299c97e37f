from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "kansou.discovery"
    label = "discovery"
    verbose_name = "Discovery"

    def ready(self) -> None:
        # Recommendations on other apps' pages. No database or model work here: the artefact is
        # loaded at first use (kansou.discovery.artefact.artefact_current).
        from kansou.core.changes import ANIME_LISTENERS, REVIEW_LISTENERS
        from kansou.discovery.admin import register_admin_actions
        from kansou.discovery.desk import register_desk_suggester
        from kansou.discovery.job_starters import register_job_starters
        from kansou.discovery.pairs.services import pairs_sync_reviews
        from kansou.discovery.panels import register_panels
        from kansou.discovery.search.index import search_reindex

        register_panels()
        register_admin_actions()
        register_desk_suggester()
        register_job_starters()  # the admin's Jobs page buttons
        ANIME_LISTENERS["search"] = lambda ids: search_reindex(anime_ids=ids)
        REVIEW_LISTENERS["search"] = lambda ids: search_reindex(review_ids=ids)
        # A review's comparable titles are editorial recommendation pairs: every review write
        # (save, publish, import, the admin) calls reviews_changed, which brings them in line.
        REVIEW_LISTENERS["pairs"] = pairs_sync_reviews
