from .details import Language, Phone, Schedule, ServiceArea
from .identifiers import OrganizationIdentifier
from .locations import Accessibility, Address, Location, ServiceAtLocation
from .organisations import Contact, Organization, Service
from .taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "Accessibility",
    "Address",
    "Contact",
    "Language",
    "Location",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "Taxonomy",
    "TaxonomyTerm",
]
