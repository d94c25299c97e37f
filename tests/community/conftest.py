import pytest

# Comment fixtures (a review, a trusted reader, a newcomer, a moderator).
from tests.community.comment_factories import moderator, newcomer, reader, review  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with PBKDF2's real cost makes every account take a third of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
