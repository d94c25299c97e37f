"""Legacy paths of any length: uniqueness moves from the path (a CharField of 500, which a long
percent-encoded path overflowed) to its SHA-256 (``models.legacy_path_hash``). Stored paths are
decoded as requests arrive (``models.legacy_path_as_requested``), so escaped ones redirect."""

import hashlib
from urllib.parse import unquote_to_bytes

from django.db import migrations, models
from django.utils.encoding import repercent_broken_unicode


def fill_hashes(apps, schema_editor):
    LegacyPath = apps.get_model("reviews", "LegacyPath")
    for legacy in LegacyPath.objects.only("pk", "old_path").order_by("pk").iterator():
        path = repercent_broken_unicode(unquote_to_bytes(legacy.old_path)).decode()
        if LegacyPath.objects.filter(old_path=path).exclude(pk=legacy.pk).exists():
            path = legacy.old_path  # its decoded form is stored already: keep both rows
        digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
        LegacyPath.objects.filter(pk=legacy.pk).update(old_path=path, path_hash=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_import_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="legacypath",
            name="path_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_hashes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="legacypath",
            name="path_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="legacypath",
            name="old_path",
            field=models.TextField(help_text="Starts with '/'; any length."),
        ),
    ]
