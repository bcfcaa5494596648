"""The policy's entities, one module per concept (DOMAIN.md gives the names)."""

from .bodies import PurchasingBody
from .categories import ServiceCategory
from .contracts import Contract
from .editions import EDITION_LIFECYCLE, Catalogue
from .evaluations import EVALUATION_LIFECYCLE, Evaluation, EvaluationWeights
from .items import CatalogueItem, ProcurementMethod
from .notifications import Notification
from .pilots import PILOT_LIFECYCLE, PilotItem, PilotTransition
from .providers import Provider
from .publication import EditionFigures, PublicationCorrection, PublicVersion, PublishedFile
from .qualifications import QUALIFICATION_LIFECYCLE, QUALIFICATION_TRANSITIONS, ProviderStatusChange, QualificationCheck, unmet_conditions
from .regions import Region
from .staff import StaffProfile

__all__ = [
    "Catalogue",
    "CatalogueItem",
    "Contract",
    "Evaluation",
    "EDITION_LIFECYCLE",
    "EVALUATION_LIFECYCLE",
    "EditionFigures",
    "EvaluationWeights",
    "Notification",
    "PILOT_LIFECYCLE",
    "PilotItem",
    "PilotTransition",
    "ProcurementMethod",
    "Provider",
    "PublicationCorrection",
    "PublicVersion",
    "PublishedFile",
    "ProviderStatusChange",
    "PurchasingBody",
    "QUALIFICATION_LIFECYCLE",
    "QUALIFICATION_TRANSITIONS",
    "QualificationCheck",
    "Region",
    "StaffProfile",
    "ServiceCategory",
    "unmet_conditions",
]
