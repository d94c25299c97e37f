from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kansou.catalog"
    label = "catalog"
    verbose_name = "Catalog"
