"""Comment pages: post (the form under a review), edit, delete, report, and the moderation queue.

Every form works without JavaScript: a post answers with a redirect back to the review, or, when
the comment is refused, with a page that keeps what was typed and says why.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kansou.community import moderation
from kansou.community.comments.forms import CommentForm, ModerationForm
from kansou.community.comments.services import (
    BAD_PARENT,
    DELETED,
    EDIT_CLOSED,
    RateLimited,
    comment_delete,
    comment_edit,
    comment_in_latest,
    comment_post,
)
from kansou.community.models import Comment
from kansou.core.clientip import client_ip
from kansou.core.forms import errors_onto
from kansou.reviews.models import Review


def _refused(request, *, form, review, comment=None, status=400) -> HttpResponse:
    context = {"form": form, "review": review, "comment": comment}
    return render(request, "community/comments/form_page.html", context, status=status)


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    """The signed-in reader's own comment, or 404: a comment by someone else is never shown on
    its edit or delete page, whatever its status (the same answer on GET and on POST)."""
    comment = get_object_or_404(Comment.objects.select_related("review"), pk=pk)
    if comment.author_id is None or comment.author_id != request.user.pk:
        raise Http404("No such comment of yours.")
    return comment


def _closed(request: HttpRequest, comment: Comment) -> HttpResponse:
    """The author's own comment past its edit window (or deleted): 403, saying why."""
    minutes = settings.KANSOU_COMMENT_EDIT_MINUTES
    context = {"review": comment.review, "message": EDIT_CLOSED.format(minutes=minutes)}
    return render(request, "community/comments/closed.html", context, status=403)


@login_required
@require_POST
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    review = get_object_or_404(Review, slug=slug)
    if not review.is_visible_to(request.user):
        raise Http404("No such review.")  # a draft's title never reaches another reader
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, form=form, review=review)
    parent_id = form.cleaned_data["parent"]
    parent = Comment.objects.filter(pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:  # a reply to nothing is refused, not posted as new
        form.add_error(None, BAD_PARENT)
        return _refused(request, form=form, review=review)
    try:
        posted = comment_post(
            review=review,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            ip=client_ip(request),
            honeypot=form.cleaned_data["website"],
        )
    except ValidationError as error:
        errors_onto(form, error)
        status = 429 if isinstance(error, RateLimited) else 400
        return _refused(request, form=form, review=review, status=status)
    messages.success(request, posted.message)
    if posted.comment is None:
        return redirect(review.get_absolute_url() + "#comments")
    if comment_in_latest(posted.comment, viewer=request.user):
        return redirect(f"{review.get_absolute_url()}#comment-{posted.comment.pk}")
    return redirect(posted.comment.get_absolute_url())  # a reply far down an old thread


@login_required
def comment_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if not comment.can_be_changed_by(request.user):
        return _closed(request, comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body_md})
    if request.method == "POST" and form.is_valid():
        try:
            body = form.cleaned_data["body"]
            posted = comment_edit(comment=comment, user=request.user, body=body)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, posted.message)
            return redirect(comment.get_absolute_url())
    status = 400 if form.errors else 200
    return _refused(request, form=form, review=comment.review, comment=comment, status=status)


@login_required
def comment_delete_page(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if not comment.can_be_changed_by(request.user):
        return _closed(request, comment)
    error = ""
    if request.method == "POST":
        try:
            comment_delete(comment=comment, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, DELETED)
            return redirect(comment.review.get_absolute_url() + "#comments")
    context = {"comment": comment, "review": comment.review, "error": error}
    return render(request, "community/comments/delete.html", context, status=400 if error else 200)


@login_required
@require_POST
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("review"), pk=pk)
    if not comment.review.is_visible_to(request.user):
        raise Http404("No such comment.")
    try:
        moderation.comment_report(
            comment=comment, reporter=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, moderation.REPORTED)
    return redirect(comment.review.get_absolute_url() + "#comments")


@permission_required(moderation.MODERATE_PERMISSION, raise_exception=True)
def moderation_page(request: HttpRequest) -> HttpResponse:
    context = {"queue": moderation.moderation_queue(), "form": ModerationForm()}
    return render(request, "community/comments/moderation.html", context)


@require_POST
@permission_required(moderation.MODERATE_PERMISSION, raise_exception=True)
def moderation_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, hide, mark as spam, or ban the author of one comment."""
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, hide, spam or ban.")
        return redirect("community:moderation")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "approve":
            moderation.comment_approve(comment=comment, moderator=request.user)
        elif action == "hide":
            moderation.comment_hide(comment=comment, moderator=request.user, reason=reason)
        elif action == "spam":
            moderation.comment_mark_spam(comment=comment, moderator=request.user)
        elif comment.author is None:
            raise ValidationError("Imported comments have no account to ban.")
        else:
            days = form.cleaned_data["ban_days"]
            until = timezone.now() + dt.timedelta(days=days) if days else None
            moderation.user_ban(
                user=comment.author, by=request.user, reason=reason, until=until, comment=comment
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Comment #{comment.pk}: {action} done.")
    return redirect("community:moderation")
