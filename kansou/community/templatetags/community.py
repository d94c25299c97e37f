from django import template

from kansou.community.forms import SCORE_CHOICES
from kansou.community.models import ListEntry, ListStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def list_entry_for(context, anime) -> ListEntry | None:
    """The viewer's entry for ``anime`` or None: ``{% list_entry_for anime as entry %}``."""
    user = context["request"].user
    if not user.is_authenticated:
        return None
    return ListEntry.objects.of_user(user).filter(anime=anime).first()


@register.simple_tag
def list_choices() -> dict:
    """Status and score choices for the small list forms."""
    return {"statuses": ListStatus.choices, "scores": SCORE_CHOICES}
