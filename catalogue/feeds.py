"""Atom feeds of what happened to the published catalogues: publications, corrections and withdrawals.

An event is read from what the record already holds, never from a log of its own:
- a publication is a public edition's first revision, on its published_on;
- a correction (动态调整) is a later revision, which superseded the one before, on its published_on;
- a withdrawal is the first history row (django-simple-history, Catalogue.history) in which a
  once-public edition became 已撤回 — the service only withdraws public editions.
Each feed reads at most FEED_LENGTH rows of each kind, so its cost does not grow with the record.
Addresses are built from settings.PUBLIC_URL, like the open data, so the cached feed is the same
whoever asked first.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Min
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from catalogue.models import Catalogue, Region
from catalogue.site import site_address

FEED_LENGTH = 50


@dataclass(frozen=True)
class EditionEvent:
    kind: str  # "publication", "correction", "withdrawal"
    edition: Catalogue
    at: datetime
    link: str

    @property
    def guid(self):
        return f"{site_address().build_absolute_uri('/')}#{self.kind}-{self.edition.pk}"


def _day(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def edition_events(region=None, limit=FEED_LENGTH):
    """The newest `limit` events, newest first, of every region or of one."""
    public = Catalogue.objects.public().select_related("region").exclude(published_on=None)
    withdrawn_on = Catalogue.history.filter(status=Catalogue.Status.WITHDRAWN)
    if region is not None:
        public = public.filter(region=region)
        withdrawn_on = withdrawn_on.filter(region_id=region.pk)
    events = [
        EditionEvent(
            "publication" if edition.revision == 1 else "correction",
            edition,
            _day(edition.published_on),
            edition.get_absolute_url(),
        )
        for edition in public.order_by("-published_on", "-pk")[:limit]
    ]
    firsts = dict(
        withdrawn_on.values_list("id").annotate(on=Min("history_date")).order_by("-on")[:limit]
    )
    withdrawn = Catalogue.objects.filter(pk__in=firsts, status=Catalogue.Status.WITHDRAWN).select_related("region")
    for edition in withdrawn:
        # A withdrawn edition answers 404: the event points to its region on the home page.
        link = f"{reverse('catalogue:home')}#region-{edition.region.slug}"
        events.append(EditionEvent("withdrawal", edition, firsts[edition.pk], link))
    events.sort(key=lambda event: (event.at, event.edition.pk), reverse=True)
    return events[:limit]


class EditionEventsFeed(Feed):
    """/feeds/editions.atom, and /feeds/<region>/editions.atom for one region."""

    feed_type = Atom1Feed

    def get_object(self, request, region=None):
        return get_object_or_404(Region, slug=region) if region else None

    def title(self, region):
        if region is None:
            return _("咸宁市政府向社会力量购买服务指导性目录：发布、更正与撤回")
        return _("%(region)s指导性目录：发布、更正与撤回") % {"region": region.name}

    def subtitle(self, region):
        return _("目录发布、动态调整（新版次替代原版次）和撤回的记录。")

    def link(self, region):
        path = reverse("catalogue:home")
        if region is not None:
            path += f"#region-{region.slug}"
        return site_address().build_absolute_uri(path)

    def feed_url(self, region):
        if region is None:
            return site_address().build_absolute_uri(reverse("catalogue:feed"))
        return site_address().build_absolute_uri(reverse("catalogue:region_feed", args=[region.slug]))

    def author_name(self):
        return _("咸宁市财政局")

    def items(self, region):
        return edition_events(region)

    def item_title(self, event):
        edition = event.edition
        values = {"title": edition.title, "revision": edition.revision, "earlier": edition.revision - 1}
        if event.kind == "publication":
            return _("发布：%(title)s") % values
        if event.kind == "correction":
            return _("更正：%(title)s（第%(revision)s版替代第%(earlier)s版）") % values
        return _("撤回：%(title)s（第%(revision)s版）") % values

    def item_description(self, event):
        edition = event.edition
        if event.kind == "withdrawal":
            return _("该版次已撤回，不再公开查阅。")
        if edition.document_number:
            return _("文号：%(number)s；发布日期：%(date)s") % {
                "number": edition.document_number,
                "date": edition.published_on.isoformat(),
            }
        return _("发布日期：%(date)s") % {"date": edition.published_on.isoformat()}

    def item_link(self, event):
        return site_address().build_absolute_uri(event.link)

    def item_guid(self, event):
        return event.guid

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at

    def item_categories(self, event):
        return [event.edition.region.name]
