import os

from django.core.wsgi import get_wsgi_application

# Files the site creates (the SQLite database and its -wal/-shm, cache files) are for its user
# only, whatever server imports this module; a stricter umask is kept.
os.umask(os.umask(0o077) | 0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansou.settings")
application = get_wsgi_application()
