from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kansou.core"
    label = "core"
