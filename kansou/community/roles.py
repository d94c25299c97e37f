"""Roles as Django groups: reader, author, editor, moderator, admin.

An author writes reviews and sees and changes only those they are a byline author of; an editor
(``reviews.change_review``, the ``EDITOR_PERMISSION`` of ``kansou.reviews.models``) sees and
changes everyone's (``ReviewQuerySet.editable_by``). Migration ``0004_roles_narrowed`` took
the editor's permissions away from author groups made before that split, and the list
permissions away from every role (see ``ROLES``).

``ROLES`` maps each role to the permissions its group carries (``app_label.codename``; ``"*"``
means every permission). ``roles_sync`` creates the groups and attaches the permissions; it is
additive (never removes a permission an admin added by hand) and idempotent. It runs twice:

- in the data migration ``0002_roles``, which also creates the permissions of models it knows
  (Django itself only creates permissions *after* all migrations ran);
- after every ``migrate`` (``post_migrate``, connected in ``apps.py``), which attaches permissions
  of apps migrated later. **Hook for other apps:** to give a role a new permission (say
  ``reviews.add_comment`` for readers), add its name below; the next ``migrate`` attaches it.
  Names of models that do not exist (yet) are skipped.
"""

from __future__ import annotations

from django.apps import apps as global_apps

READER, AUTHOR, EDITOR, MODERATOR, ADMIN = "reader", "author", "editor", "moderator", "admin"

# A model permission is a right over every row of the model: Django's admin reads it so. None
# is given for readers' lists, which every reader keeps on the site (their own list only, by
# ownership, not by permission): ``community.view_listentry`` let a staff author read every
# private list in the admin.
ROLES: dict[str, tuple[str, ...]] = {
    READER: (),
    AUTHOR: (
        "catalog.change_anime",
        "reviews.add_review",
    ),
    EDITOR: (
        "catalog.change_anime",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.view_review",
        "reviews.delete_review",
    ),
    MODERATOR: (
        "community.moderate_community",
        "community.moderate_comment",
        "community.view_comment",
        "community.change_comment",
    ),
    ADMIN: ("*",),
}


def _permission_name(model, codename: str) -> str:
    for custom, name in model._meta.permissions:
        if custom == codename:
            return name
    action = codename.split("_", 1)[0]
    return f"Can {action} {model._meta.verbose_name_raw}"


def _permission(apps, label: str, *, create: bool):
    """The permission ``app_label.codename``, created when ``create`` and its model is known."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = label.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found or not create:
        return found
    model = None
    for candidate in _models_of(apps, app_label):
        known = {f"{a}_{candidate._meta.model_name}" for a in candidate._meta.default_permissions}
        known |= {custom for custom, _ in candidate._meta.permissions}
        if codename in known:
            model = candidate
            break
    if model is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model._meta.model_name
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": _permission_name(model, codename)[:255]},
    )
    return permission


def _models_of(apps, app_label: str) -> list:
    try:
        return list(apps.get_app_config(app_label).get_models())
    except LookupError:
        return []


def roles_sync(apps=global_apps, *, create_permissions: bool = False) -> None:
    """Make sure every role's group exists and holds every listed permission that exists."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, labels in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        if labels == ("*",):
            wanted = set(Permission.objects.values_list("pk", flat=True))
        else:
            found = (_permission(apps, label, create=create_permissions) for label in labels)
            wanted = {permission.pk for permission in found if permission is not None}
        have = set(group.permissions.values_list("pk", flat=True))
        if wanted - have:
            group.permissions.add(*(wanted - have))


def sync_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    """``post_migrate`` receiver; runs once per migrated app, which is cheap and idempotent."""
    roles_sync(apps=apps)


def user_roles(user) -> list[str]:
    """The user's roles in ``ROLES`` order; a superuser is always an admin."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_kansou_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = [role for role in ROLES if role in names]
        user._kansou_roles = cached
    return cached


def user_has_role(user, role: str) -> bool:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return role in user_roles(user)
