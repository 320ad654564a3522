"""The directory's admin, one module per sub-domain; importing them registers the models."""

from . import details, locations, organisations, services, taxonomy

__all__ = ["details", "locations", "organisations", "services", "taxonomy"]
