"""Writing reviews in the browser: the Django admin, made for authors.

An author (staff, with ``reviews.add_review``; ``catalog.view_anime`` for the anime search) writes
every section on one page, saves drafts, previews with *View on site* (drafts and scheduled
reviews are visible to their authors), schedules by picking *scheduled* and a time, and publishes.
Authors see and edit only the reviews they are a byline author of; an editor
(``reviews.change_review``) sees and edits everyone's, and deletes with ``reviews.delete_review``.
Which reviews those are is ``ReviewQuerySet.editable_by``, the rule the review page's preview
uses too. The about box is never typed: it comes from the catalog entry chosen in *Anime*.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.utils import timezone

from kansou.reviews.documents import AnimeReferenceError, anime_resolve
from kansou.reviews.models import (
    EDITOR_PERMISSION,
    AudienceProfile,
    FreeSection,
    Label,
    LegacyPath,
    Review,
    ReviewAuthor,
    ReviewCharacter,
    ReviewStatus,
    Theme,
)
from kansou.reviews.services import (
    NEEDS_PUBLISH_AT,
    audience_set_comparable,
    review_publish,
    review_render,
    review_unpublish,
)

# Actions that apps building on reviews add to the review list (``discovery``'s "Suggest audience
# profiles"): reviews cannot import them, so they register here from their ``AppConfig.ready``,
# as panels do in ``kansou.catalog.panels``. Keyed by the action's name; registering twice
# changes nothing.
REVIEW_ACTIONS: dict[str, Callable] = {}


def _may_write(request, obj: Review | None) -> bool:
    """Authors and editors reach the reviews admin; on one review, only those it is
    ``editable_by``."""
    user = request.user
    if not (user.has_perm("reviews.add_review") or user.has_perm(EDITOR_PERMISSION)):
        return False
    return obj is None or obj.is_editable_by(user)


class PartInline:
    """Section rows follow the review's permissions, so authors need no per-model rights."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return _may_write(request, obj)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class AudienceProfileForm(forms.ModelForm):
    comparable_refs = forms.CharField(
        label="Comparable titles",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a title, a source URL, or #id (from the catalog).",
    )

    class Meta:
        model = AudienceProfile
        fields = ["position", "name", "why_md"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["comparable_refs"] = "\n".join(
                f"#{row.anime_id} {row.anime.title}"
                for row in self.instance.comparable_titles.select_related("anime")
            )

    def clean_comparable_refs(self):
        found, errors = [], []
        for line in self.cleaned_data["comparable_refs"].splitlines():
            if line.strip():
                try:
                    found.append(anime_resolve(reference=line))
                except AnimeReferenceError as exc:
                    errors.append(str(exc))
        if errors:
            raise ValidationError(errors)
        self.comparable_anime = found
        return self.cleaned_data["comparable_refs"]


class ReviewAuthorInline(PartInline, admin.TabularInline):
    model = ReviewAuthor
    autocomplete_fields = ["user"]
    fields = ["user", "position"]
    verbose_name_plural = "Authors (byline order; you, when left empty)"


class AudienceInline(PartInline, admin.StackedInline):
    model = AudienceProfile
    form = AudienceProfileForm
    verbose_name_plural = "Who should watch"


class CharacterInline(PartInline, admin.StackedInline):
    model = ReviewCharacter
    fields = ["position", "name", "character", "text_md"]
    raw_id_fields = ["character"]


class ThemeInline(PartInline, admin.StackedInline):
    model = Theme
    fields = ["position", "name", "text_md"]


class SectionInline(PartInline, admin.StackedInline):
    model = FreeSection
    fields = ["position", "heading", "body_md"]
    verbose_name_plural = "Other sections"


class LegacyPathInline(PartInline, admin.TabularInline):
    model = LegacyPath
    verbose_name_plural = "Old paths (answered with a permanent redirect)"


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = "__all__"

    def clean(self):
        data = super().clean()
        status, publish_at = data.get("status"), data.get("publish_at")
        if status == ReviewStatus.SCHEDULED and publish_at is None:
            self.add_error("publish_at", NEEDS_PUBLISH_AT)
        if status == ReviewStatus.PUBLISHED and publish_at is None:
            data["publish_at"] = timezone.now()
            self.instance.publish_at = data["publish_at"]
        return data


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = ["title", "anime", "status", "publish_at", "is_public"]
    list_filter = ["status", "labels"]
    search_fields = ["title", "slug", "anime__title"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["anime"]
    filter_horizontal = ["labels"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "anime"]}),
        ("Publishing", {"fields": ["status", "publish_at", "score", "labels"],
                        "description": "Scheduled reviews go public at their time by themselves. "
                                       "Use “View on site” to preview a draft."}),
        ("Text (Markdown; ::: spoiler Title … ::: hides a spoiler)",
         {"fields": ["summary", "intro_md", "final_thoughts_md"]}),
    ]  # fmt: skip
    inlines = [ReviewAuthorInline, AudienceInline, CharacterInline, ThemeInline, SectionInline,
               LegacyPathInline]  # fmt: skip
    actions = ["publish_now", "back_to_draft"]

    @admin.display(boolean=True, description="Public")
    def is_public(self, obj: Review) -> bool:
        return obj.is_public

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user).select_related("anime")

    def get_actions(self, request):
        """The built-in actions, then every registered one (``REVIEW_ACTIONS``)."""
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET:
            return actions
        for name, func in REVIEW_ACTIONS.items():
            actions[name] = (func, name, getattr(func, "short_description", name))
        return actions

    def has_view_permission(self, request, obj=None):
        return _may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return _may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_write(request, obj)

    def has_module_permission(self, request):
        return request.user.has_perm("reviews.add_review") or super().has_module_permission(request)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is AudienceProfile:
            for profile_form in formset.forms:
                profile = profile_form.instance
                if profile.pk and hasattr(profile_form, "comparable_anime"):
                    audience_set_comparable(profile=profile, anime=profile_form.comparable_anime)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        review = form.instance
        if not review.review_authors.exists():
            ReviewAuthor.objects.create(review=review, user=request.user)
        review_render(review=review)

    @admin.action(description="Publish now")
    def publish_now(self, request, queryset):
        for review in queryset:
            review_publish(review=review)
        self.message_user(request, f"Published {len(queryset)} review(s).", messages.SUCCESS)

    @admin.action(description="Back to draft")
    def back_to_draft(self, request, queryset):
        for review in queryset:
            review_unpublish(review=review)
        self.message_user(request, f"{len(queryset)} review(s) back to draft.", messages.SUCCESS)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LegacyPath)
class LegacyPathAdmin(admin.ModelAdmin):
    list_display = ["old_path", "review"]
    search_fields = ["old_path", "review__title"]
    autocomplete_fields = ["review"]
