"""The site's own address, for what names it without a request to take the host from."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class SiteAddress:
    """Stands in for a request where only absolute URLs are needed: settings.PUBLIC_URL plus the path.

    The published files and the OCDS data use it, so an identifier or a link in open data is the same
    whoever asked first and whatever Host header they sent.
    """

    base: str

    def build_absolute_uri(self, path):
        return f"{self.base}{path}"


def site_address():
    return SiteAddress(settings.PUBLIC_URL)
