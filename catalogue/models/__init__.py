"""The policy's entities, one module per concept (DOMAIN.md gives the names)."""

from .bodies import PurchasingBody
from .categories import ServiceCategory
from .editions import Catalogue
from .items import CatalogueItem, ProcurementMethod
from .pilots import PilotItem, PilotTransition
from .providers import Provider
from .regions import Region
from .staff import StaffProfile

__all__ = [
    "Catalogue",
    "CatalogueItem",
    "PilotItem",
    "PilotTransition",
    "ProcurementMethod",
    "Provider",
    "PurchasingBody",
    "Region",
    "StaffProfile",
    "ServiceCategory",
]
