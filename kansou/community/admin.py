from django.contrib import admin, messages

from kansou.community import moderation
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


def _moderate(service, done: str):
    """An admin action that decides through ``moderation`` (state machine, reports closed,
    moderation log), never by writing ``status``."""

    def action(modeladmin, request, queryset):
        try:
            for comment in queryset:
                service(comment=comment, moderator=request.user)
        except PermissionError as refused:
            modeladmin.message_user(request, str(refused), messages.ERROR)
            return
        modeladmin.message_user(request, done.format(count=len(queryset)), messages.SUCCESS)

    return action


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments as a moderator sees them. Status and body are read-only here: a status changes
    only through ``moderation`` (the queue, or the actions below), which follows
    ``moderation_states`` and writes the moderation log; a body only through its author.
    Comments are written on the site or by the importers, never added here."""

    list_display = ["pk", "review", "author", "author_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author__username", "author_name", "body_md"]
    raw_id_fields = ["review", "author", "parent"]
    readonly_fields = ["status", "body_md", "body_html", "ip_hash", "source_id"]
    actions = ["approve", "hide", "mark_spam"]

    approve = admin.action(description="Approve (show on the page)")(
        _moderate(moderation.comment_approve, "{count} comment(s) approved.")
    )
    hide = admin.action(description="Hide (take off the page)")(
        _moderate(moderation.comment_hide, "{count} comment(s) hidden.")
    )
    mark_spam = admin.action(description="Mark as spam")(
        _moderate(moderation.comment_mark_spam, "{count} comment(s) marked as spam.")
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "by", "at", "until"]
    raw_id_fields = ["user", "by"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "comment", "subject", "note"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "comment", "subject"]
