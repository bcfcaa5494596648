"""The Chinese admin: one module per concept, like catalogue/models/.

Admin classes only configure (columns, filters, search, autocomplete, what is
read-only); operations that change an edition's state (submit, publish …)
belong to catalogue/services and are called from here, never written here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import bodies, categories, editions, items, pilots, providers, regions, staff  # noqa: F401  (registers the admins)
from . import contracts, evaluations, qualifications  # noqa: F401  (providers' qualification, contracts, evaluations)
from . import notifications  # noqa: F401  (each staff member's 通知)
from . import checks  # noqa: F401  (no admin loads without a scope rule)
from .exporting import export_selected_xlsx

# 导出所选（Excel） on every changelist; the rows are the changelist's, so the user's scope.
admin.site.add_action(export_selected_xlsx, "export_selected_xlsx")

admin.site.site_header = _("咸宁市政府购买服务指导性目录管理")
admin.site.site_title = _("指导性目录管理")
admin.site.index_title = _("管理首页")
