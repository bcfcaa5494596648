from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("政府购买服务指导性目录")

    def ready(self):
        from . import signals  # noqa: F401
