"""The Chinese admin: one module per concept, like catalogue/models/.

Admin classes only configure (columns, filters, search, autocomplete, what is
read-only, which operations a page offers). The rules live elsewhere, once each:
writes in catalogue/services, who may do what in catalogue/permissions.py (who
sees what in catalogue/scopes.py), shared reads in catalogue/selectors, forms in
catalogue/forms, and the staff pages that are views (uploads, previews,
downloads) in catalogue/views/staff, registered here through get_urls.
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
