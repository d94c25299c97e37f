"""Django admin for the catalog: search everything, edit only what authors own.

Imported values are replaced by every import, so the admin shows them read-only: scalar
corrections go through the entry's edit page (they must land in ``local_overrides``), and rows
with origin ``imported`` can be viewed but not changed or deleted. Local rows are editable.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html

from kansou.catalog.lookup import title_matches
from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    Character,
    Company,
    Correction,
    ExternalId,
    Origin,
    Person,
    StaffCredit,
    Tag,
)
from kansou.catalog.text import normalize_title


class LocalRowsOnly:
    """Rows an import wrote are view-only here; local and hidden rows are editable."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and getattr(obj, "origin", None) == Origin.IMPORTED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and getattr(obj, "origin", None) == Origin.IMPORTED:
            return False
        return super().has_delete_permission(request, obj)


class StaffCreditInline(admin.TabularInline):
    model = StaffCredit
    autocomplete_fields = ["person"]
    extra = 0


class CharacterInline(admin.StackedInline):
    model = Character
    extra = 0


class ExternalIdInline(admin.TabularInline):
    model = ExternalId
    extra = 0
    can_delete = False
    readonly_fields = ["site", "external_id", "url"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Anime)
class AnimeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "episodes", "status", "corrected"]
    list_filter = ["kind", "status", "season"]
    search_fields = ["title"]
    readonly_fields = [*SCALAR_FIELDS, "imported", "local_overrides", "import_hash", "edit_link"]
    fields = ["edit_link", *SCALAR_FIELDS, "local_overrides", "imported", "import_hash"]
    inlines = [StaffCreditInline, CharacterInline, ExternalIdInline]

    def get_search_results(self, request, queryset, search_term):
        """The catalog's title matcher's best 50 first (the anime autocomplete's order; the change
        list applies its own), then any other entry with a shown title holding the term."""
        key = normalize_title(search_term)
        if not key:
            return super().get_search_results(request, queryset, search_term)
        ids = [m.anime_id for m in title_matches(search_term, limit=50, within=queryset)]
        holding = AnimeTitle.objects.shown().filter(normalized__contains=key).values("anime_id")
        rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], default=Value(50))
        results = queryset.filter(Q(pk__in=ids) | Q(pk__in=holding))
        return results.order_by(rank, "pk"), False

    @admin.display(boolean=True, description="local corrections")
    def corrected(self, obj: Anime) -> bool:
        return bool(obj.local_overrides)

    @admin.display(description="corrections")
    def edit_link(self, obj: Anime) -> str:
        if not obj.pk:
            return "—"
        url = reverse("catalog:anime-edit", args=[obj.pk])
        return format_html('<a href="{}">Correct facts, titles, tags and companies</a>', url)


@admin.register(AnimeTitle)
class AnimeTitleAdmin(LocalRowsOnly, admin.ModelAdmin):
    list_display = ["text", "anime", "kind", "language", "origin"]
    list_filter = ["origin", "kind"]
    search_fields = ["text", "normalized"]
    autocomplete_fields = ["anime"]

    def save_model(self, request, obj, form, change):
        obj.normalized = normalize_title(obj.text)
        super().save_model(request, obj, form, change)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AnimeTag)
class AnimeTagAdmin(LocalRowsOnly, admin.ModelAdmin):
    list_display = ["anime", "tag", "origin"]
    list_filter = ["origin"]
    search_fields = ["anime__title", "tag__name"]
    autocomplete_fields = ["anime", "tag"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AnimeCompany)
class AnimeCompanyAdmin(LocalRowsOnly, admin.ModelAdmin):
    list_display = ["anime", "company", "role", "origin"]
    list_filter = ["origin", "role"]
    search_fields = ["anime__title", "company__name"]
    autocomplete_fields = ["anime", "company"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name"]
    search_fields = ["name", "native_name"]


@admin.register(StaffCredit)
class StaffCreditAdmin(LocalRowsOnly, admin.ModelAdmin):
    list_display = ["person", "role", "anime", "origin"]
    search_fields = ["anime__title", "person__name", "role"]
    autocomplete_fields = ["anime", "person"]


@admin.register(Character)
class CharacterAdmin(LocalRowsOnly, admin.ModelAdmin):
    list_display = ["name", "native_name", "role", "anime", "origin"]
    list_filter = ["role"]
    search_fields = ["name", "native_name", "anime__title"]
    autocomplete_fields = ["anime"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The log is a record: it can be read and searched, never edited."""

    list_display = ["at", "anime", "field", "action", "old", "new", "user"]
    list_filter = ["field", "action"]
    search_fields = ["anime__title", "field"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
