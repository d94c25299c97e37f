"""Recommendation pairs (``pairs_models``): readers' and reviews' "if you liked X, watch Y", and
readers' agreements with them."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_correction'),
        ('discovery', '0005_search_document_review_fk'),
        ('reviews', '0002_review_import_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnimePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('kind', models.CharField(choices=[('community', 'Reader'), ('editorial', 'Review')], default='community', max_length=10)),
                ('pitch', models.TextField(validators=[django.core.validators.MaxLengthValidator(1000)])),
                ('status', models.CharField(choices=[('pending', 'Awaiting moderation'), ('approved', 'Approved'), ('hidden', 'Hidden'), ('spam', 'Spam')], db_index=True, default='pending', max_length=10)),
                ('ip_hash', models.CharField(blank=True, max_length=64)),
                ('anime_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.anime')),
                ('anime_b', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.anime')),
                ('review', models.ForeignKey(blank=True, help_text='The review it comes from (editorial pairs).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reviews.review')),
                ('user', models.ForeignKey(blank=True, help_text='The reader who recommends it (community pairs).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='anime_pairs', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PairAgreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agreements', to='discovery.animepair')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddIndex(
            model_name='animepair',
            index=models.Index(fields=['anime_a', 'anime_b'], name='discovery_pair_ab'),
        ),
        migrations.AddIndex(
            model_name='animepair',
            index=models.Index(fields=['anime_b'], name='discovery_pair_b'),
        ),
        migrations.AddConstraint(
            model_name='animepair',
            constraint=models.CheckConstraint(condition=models.Q(('anime_a__lt', models.F('anime_b'))), name='discovery_pair_ordered', violation_error_message='A pair is two different anime, the smaller id first.'),
        ),
        migrations.AddConstraint(
            model_name='animepair',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'community'), ('review__isnull', True), ('user__isnull', False)), models.Q(('kind', 'editorial'), ('review__isnull', False), ('user__isnull', True)), _connector='OR'), name='discovery_pair_kind_source', violation_error_message="A reader's pair has an account; a review's a review."),
        ),
        migrations.AddConstraint(
            model_name='animepair',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('user', 'anime_a', 'anime_b'), name='discovery_pair_one_per_account', violation_error_message='You already recommended this pair.'),
        ),
        migrations.AddConstraint(
            model_name='animepair',
            constraint=models.UniqueConstraint(condition=models.Q(('review__isnull', False)), fields=('review', 'anime_a', 'anime_b'), name='discovery_pair_one_per_review'),
        ),
        migrations.AddConstraint(
            model_name='pairagreement',
            constraint=models.UniqueConstraint(fields=('pair', 'user'), name='discovery_pair_agree_once'),
        ),
    ]
