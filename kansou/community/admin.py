from django.contrib import admin

from kansou.community.login_limits import LimitedAdminAuthenticationForm
from kansou.community.models import AnimeList, Ban, Comment, ListEntry, ModerationLog


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


# Failed log-ins on the admin's log-in page count against the same limits as /accounts/login/.
admin.site.login_form = LimitedAdminAuthenticationForm


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "review", "author", "author_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author__username", "author_name", "body_md"]
    raw_id_fields = ["review", "author", "parent"]
    readonly_fields = ["body_html", "ip_hash", "source_id"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "by", "at", "until"]
    raw_id_fields = ["user", "by"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "comment", "subject", "note"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "comment", "subject"]
