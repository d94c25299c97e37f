import click


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run one of Django's own commands: kansou manage migrate|createsuperuser|shell|check …

    Example: kansou manage createsuperuser
    """
    from django.core.management import execute_from_command_line

    from kansou.cli import setup_django

    setup_django()
    execute_from_command_line(["kansou manage", *args])
