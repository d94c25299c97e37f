"""Roles lose the rights over other people's rows: the author stops being an editor, and no role
holds the readers' list permissions; the editor role is new.

Before this migration the ``author`` group held ``reviews.change_review`` and
``reviews.view_review``, which the admin and the review page read as editor rights: every
author saw and changed every other author's drafts. Every role also held the ``listentry``
permissions, which the site never reads (a reader's list is theirs by ownership) but the admin
does: a staff author read and changed every reader's private list there.

``roles_sync`` only ever adds permissions, so these are taken away here; then the groups are
synced again, which creates the ``editor`` group (see ``kansou/community/roles.py``). Give the
editor role to whoever must keep editing everyone's reviews.
"""

from django.db import migrations

TAKEN = {
    "author": [("reviews", "change_review"), ("reviews", "view_review"),
               ("reviews", "delete_review")],
    "reader": [], "moderator": [],
}  # fmt: skip
LIST_PERMISSIONS = [
    ("community", f"{action}_listentry") for action in ("add", "change", "delete", "view")
]


def roles_narrowed(apps, schema_editor):
    from kansou.community.roles import roles_sync

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, labels in TAKEN.items():
        for app_label, codename in labels + LIST_PERMISSIONS:
            taken = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            for group in Group.objects.filter(name=name):
                group.permissions.remove(*taken)
    roles_sync(apps=apps, create_permissions=True)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_comments"),
        ("reviews", "0002_review_import_id"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_narrowed, migrations.RunPython.noop)]
