from django.contrib import admin

from kansou.community.models import AnimeList, ListEntry


@admin.register(AnimeList)
class AnimeListAdmin(admin.ModelAdmin):
    list_display = ["user", "privacy", "updated_at"]
    list_filter = ["privacy"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    list_display = ["anime_list", "anime", "status", "score", "episodes_watched", "updated_at"]
    list_filter = ["status"]
    search_fields = ["anime_list__user__username", "anime__title"]
    raw_id_fields = ["anime_list", "anime"]
