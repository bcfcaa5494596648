"""Django's makemessages, also reading catalogue.translation.cached_gettext("…") as a translatable string."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + ["--keyword=cached_gettext"]
