"""Create the reader, author, moderator and admin groups with their permissions.

Permissions do not exist yet on a fresh database (Django makes them after all migrations), so
``roles_sync`` creates those of models this migration knows; permissions of apps migrated
later are attached by the ``post_migrate`` hook (see ``kansou/community/roles.py``).
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from kansou.community.roles import roles_sync

    roles_sync(apps=apps, create_permissions=True)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
