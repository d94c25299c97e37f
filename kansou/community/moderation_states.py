"""The comment moderation state machine: every status a comment can be in, every event that
moves it, and who may trigger each — in one table, used by every write (``comments.py``,
``moderation.py``; the form, the API and the blog importers all go through those services).

States: ``pending`` (waits for a moderator), ``approved`` (on the page), ``hidden`` and ``spam``
(taken down by a moderator); ``None`` is a comment not written yet. Deleting by the author is not
a state: a comment with replies keeps its status and gets a "deleted" marker (``deleted_at``).

=============  =========  =================  =========
event          actor      from               to
=============  =========  =================  =========
post           author     (new)              approved
post-held      author     (new)              pending
edit           author     pending, approved  unchanged
edit-held      author     pending, approved  pending
delete         author     pending, approved  unchanged
report-hold    reports    approved           pending
approve        moderator  any                approved
hide           moderator  any                hidden
spam           moderator  any                spam
import         importer   (new)              approved
import-held    importer   (new)              pending
reimport       importer   any                unchanged
=============  =========  =================  =========

Everything else is refused. What follows from the table:

- once written, only a moderator makes a comment approved: no edit, report or re-import
  does;
- an edit that would be held if it were posted today (``-held``) sends an approved comment back
  to the queue;
- a comment a moderator took down (hidden, spam) stays down: its author can neither edit nor
  delete it, and importing the same blog export again keeps every status moderation gave here;
- reports only ever hold an approved comment; whose comments they may hold is decided in
  ``moderation.comment_report`` (never moderators', staff's or the review's authors').
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError

from kansou.community.models import CommentStatus

NEW = None  # the "from" state of a comment not written yet
STATES: tuple[str | None, ...] = (NEW, *CommentStatus.values)


class Event(StrEnum):
    POST = "post"  # the author posts a comment that need not wait
    POST_HELD = "post-held"  # ... one that must wait (account not trusted, too many links)
    EDIT = "edit"  # the author rewrites it; the new text need not wait
    EDIT_HELD = "edit-held"  # ... the new text would be held if it were posted now
    DELETE = "delete"  # the author deletes it (removed, or a "deleted" marker)
    REPORT_HOLD = "report-hold"  # readers' reports weigh enough to hold it
    APPROVE = "approve"
    HIDE = "hide"
    SPAM = "spam"
    IMPORT = "import"  # first import; approved on the old blog
    IMPORT_HELD = "import-held"  # first import; pending on the old blog
    REIMPORT = "reimport"  # the same comment imported again


class Actor(StrEnum):
    AUTHOR = "author"  # the comment's own author
    READER = "reader"  # any other signed-in reader
    MODERATOR = "moderator"  # holds community.moderate_comment
    REPORTS = "reports"  # the weighed reports of several readers (automatic)
    IMPORTER = "importer"  # a blog import run by the site's owner


UNCHANGED = "unchanged"
_P, _A, _H, _S = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.HIDDEN,
    CommentStatus.SPAM,
)
_EXISTING = (_P, _A, _H, _S)
_RULES: list[tuple[Event, Actor, tuple[str | None, ...], str]] = [
    (Event.POST, Actor.AUTHOR, (NEW,), _A),
    (Event.POST_HELD, Actor.AUTHOR, (NEW,), _P),
    (Event.EDIT, Actor.AUTHOR, (_P, _A), UNCHANGED),
    (Event.EDIT_HELD, Actor.AUTHOR, (_P, _A), _P),
    (Event.DELETE, Actor.AUTHOR, (_P, _A), UNCHANGED),
    (Event.REPORT_HOLD, Actor.REPORTS, (_A,), _P),
    (Event.APPROVE, Actor.MODERATOR, _EXISTING, _A),
    (Event.HIDE, Actor.MODERATOR, _EXISTING, _H),
    (Event.SPAM, Actor.MODERATOR, _EXISTING, _S),
    (Event.IMPORT, Actor.IMPORTER, (NEW,), _A),
    (Event.IMPORT_HELD, Actor.IMPORTER, (NEW,), _P),
    (Event.REIMPORT, Actor.IMPORTER, _EXISTING, UNCHANGED),
]
# (from state, event, actor) → to state, for every allowed transition.
TRANSITIONS: dict[tuple[str | None, Event, Actor], str] = {
    (state, event, actor): state if to == UNCHANGED else to
    for event, actor, states, to in _RULES
    for state in states
}
REFUSED = "A {state} comment cannot take {event!r} from {actor}."


class TransitionRefused(ValidationError):
    """The table has no row for this (state, event, actor)."""

    def __init__(self, state: str | None, event: Event, actor: Actor):
        name = "new" if state is NEW else state
        super().__init__(REFUSED.format(state=name, event=str(event), actor=str(actor)))
        self.state, self.event, self.actor = state, event, actor


def allowed(state: str | None, event: Event, actor: Actor) -> bool:
    return (state, event, actor) in TRANSITIONS


def transition(state: str | None, event: Event, actor: Actor) -> str:
    """The status a comment in ``state`` moves to when ``actor`` triggers ``event``.

    Raises :class:`TransitionRefused` when the table does not allow it.

    >>> transition("approved", Event.EDIT_HELD, Actor.AUTHOR)
    'pending'
    >>> transition("hidden", Event.REIMPORT, Actor.IMPORTER)
    'hidden'
    """
    try:
        return str(TRANSITIONS[(state, event, actor)])
    except KeyError:
        raise TransitionRefused(state, event, actor) from None
