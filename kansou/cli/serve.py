"""``kansou serve``: the site under gunicorn, several workers, static files by WhiteNoise."""

from __future__ import annotations

import os

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: 2 × CPU cores + 1).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Threads per worker.",
)
@click.option(
    "--timeout",
    type=int,
    default=30,
    show_default=True,
    help="Seconds before a stuck worker is restarted.",
)
def serve(host: str, port: int, workers: int | None, threads: int, timeout: int) -> None:
    """Serve the site in production: migrate, collect static files, run gunicorn.

    Logs are JSON lines on stderr (access log included). /healthz answers whether the process
    and its database are up.

    Example: kansou serve --port 8000 --workers 4
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from django.conf import settings as django_settings
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    from kansou.core.logs import logging_config

    call_command("collectstatic", interactive=False, verbosity=0)
    from kansou.core.pagecache import pages_changed

    pages_changed()  # a new release must not serve pages the old one cached
    from django.db import connections

    # Workers are forked from this process: a database connection opened here must not be
    # inherited, or several workers would talk over one PostgreSQL socket.
    connections.close_all()
    workers = workers or 2 * (os.cpu_count() or 1) + 1

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "timeout": timeout,
                "graceful_timeout": 10,
                "accesslog": "-",
                "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
                "logconfig_dict": logging_config(),
                "max_requests": 100_000,  # recycle workers now and then; not in a benchmark
                "max_requests_jitter": 10_000,
                # One control socket per data folder, so several sites can run side by side.
                "control_socket": str(django_settings.DATA_DIR / "gunicorn.ctl"),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from kansou.wsgi import application

            return application

    click.echo(f"Kansou at http://{host}:{port}/ ({workers} workers)", err=True)
    Server().run()
