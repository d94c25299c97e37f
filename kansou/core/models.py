from django.db import models

from kansou.core.jobs import Job  # noqa: F401 (the model lives with its helpers)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
