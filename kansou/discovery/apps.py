from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "kansou.discovery"
    label = "discovery"
    verbose_name = "Discovery"
