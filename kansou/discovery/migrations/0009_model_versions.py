"""Trained model versions (``model_versions``): one row per ``kansou train``, its manifest and
checksums, and at most one current row, which every node serves."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('discovery', '0008_search_speed'),
    ]

    operations = [
        migrations.CreateModel(
            name='ModelVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.CharField(help_text="The version folder's name (a UTC time stamp).", max_length=64, unique=True)),
                ('checksum', models.CharField(help_text="SHA-256 of the manifest's JSON.", max_length=64)),
                ('manifest', models.JSONField(help_text='Every file: path, size in bytes and SHA-256.')),
                ('size_bytes', models.BigIntegerField(default=0)),
                ('info', models.JSONField(default=dict, help_text="The version's artefact.json.")),
                ('trained_by', models.CharField(help_text='user@host that trained it.', max_length=200)),
                ('in_store', models.BooleanField(default=False, help_text='Its files are in the shared store (KANSOU_MODELS_STORE).')),
                ('is_current', models.BooleanField(default=False)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('is_current',), name='discovery_modelversion_one_current')],
            },
        ),
    ]
