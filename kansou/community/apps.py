from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommunityConfig(AppConfig):
    name = "kansou.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from kansou.community.panels import register_panels
        from kansou.community.roles import sync_after_migrate

        # "Add to your list" on an anime's page (the catalog cannot import community).
        register_panels()

        # Django creates an app's permissions only after its migrations ran, so a role's
        # permissions from apps migrated later (reviews, comments) are attached here, after
        # every ``migrate``: additive and idempotent (see ``roles.py``).
        post_migrate.connect(sync_after_migrate, dispatch_uid="kansou.community.roles")
