"""The edition lifecycle: draft → published (frozen) → superseded by a correction, or withdrawn.

Rule source: the notice asks each level to compile and publish its catalogue
(咸政办发〔2015〕39号 二(二)); a published catalogue is a public record, so it
is never edited in place — a correction (动态调整) is a new revision that
supersedes it in the same transaction, and at most one revision per region
and year is in force at a time.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import Catalogue, CatalogueItem, Region
from catalogue.public_cache import invalidate_public_pages
from catalogue.scopes import Scope

from .publication import record_publication


def _require_reviewer(user, what):
    if not Scope.of(user).may_review:
        raise PermissionDenied(_("只有市财政局可以%(what)s。") % {"what": what})


def _require_region(user, region_id):
    scope = Scope.of(user)
    if not (scope.sees_everything or (scope.is_county and scope.region_id == region_id)):
        raise PermissionDenied(_("您无权编制该行政区划的目录。"))


def _lock_region_year(region_id, year):
    """Lock every revision of one region and year, in a fixed order, so two publishers queue up.

    The region's row is locked first: when the year has no revision yet there is nothing else to
    lock, and two clerks opening it at once must still queue up rather than collide.
    """
    Region.objects.select_for_update().filter(pk=region_id).first()
    return list(Catalogue.objects.select_for_update().filter(region_id=region_id, year=year).order_by("pk"))


def publish_edition(edition, *, by, document_number, published_on):
    """Publish a draft; the revision in force for the same region and year becomes superseded."""
    _require_reviewer(by, _("发布目录"))
    errors = {}
    if not (document_number or "").strip():
        errors["document_number"] = _("发布目录须填写文号。")
    if not published_on:
        errors["published_on"] = _("发布目录须填写发布日期。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        revisions = {row.pk: row for row in _lock_region_year(edition.region_id, edition.year)}
        locked = revisions[edition.pk]
        if locked.status != Catalogue.Status.DRAFT:
            raise ValidationError(
                _("只有草稿可以发布；“%(edition)s”当前为“%(status)s”。")
                % {"edition": locked, "status": locked.get_status_display()}
            )
        if not locked.items.exists():
            raise ValidationError(_("目录中还没有事项，不能发布。"))
        for other in revisions.values():
            if other.status == Catalogue.Status.PUBLISHED:
                other.status = Catalogue.Status.SUPERSEDED
                other._change_reason = _("被第%(revision)s版替代") % {"revision": locked.revision}
                other.save(update_fields=["status", "updated_at"])
        locked.status = Catalogue.Status.PUBLISHED
        locked.document_number = document_number.strip()
        locked.published_on = published_on
        locked.published_by = by
        locked.full_clean()
        locked._change_reason = _("发布，文号%(number)s") % {"number": locked.document_number}
        locked.save()
        # Its figures and official files, in this transaction: published means recorded.
        record_publication(locked, by=by)
        return locked


def withdraw_edition(edition, *, by, reason):
    """Withdraw a published revision: the public no longer sees it. The record and its history stay."""
    _require_reviewer(by, _("撤回目录"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤回目录须说明理由。")})
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=edition.pk)
        if locked.status not in Catalogue.PUBLIC_STATUSES:
            raise ValidationError(
                _("只有已发布或已被替代的目录可以撤回；该目录当前为“%(status)s”。")
                % {"status": locked.get_status_display()}
            )
        locked.status = Catalogue.Status.WITHDRAWN
        locked._change_reason = reason.strip()
        locked.save(update_fields=["status", "updated_at"])
        # Its figures stop counting (they are read for public editions only) and its files stop
        # being served; both are kept, as the record of what was once published.
        invalidate_public_pages()
        return locked


def _copy_items(source, target):
    items = list(source.items.select_related("category__parent__parent").prefetch_related("purchasing_bodies"))
    copies = [CatalogueItem.built_from(item, edition=target, category=item.category) for item in items]
    created = CatalogueItem.objects.bulk_create(copies, batch_size=500)
    Through = CatalogueItem.purchasing_bodies.through
    Through.objects.bulk_create(
        [
            Through(catalogueitem_id=new.pk, purchasingbody_id=body.pk)
            for old, new in zip(items, created)
            for body in old.purchasing_bodies.all()
        ],
        batch_size=1000,
    )
    return created


def open_revision(edition, *, by):
    """Start a correction (动态调整): a draft copy of a published revision, numbered next."""
    _require_region(by, edition.region_id)
    with transaction.atomic():
        revisions = _lock_region_year(edition.region_id, edition.year)
        draft = next((row for row in revisions if row.status == Catalogue.Status.DRAFT), None)
        if draft is not None:
            raise ValidationError(
                _("%(region)s%(year)s年已有草稿版次（第%(revision)s版），请在其中修改。")
                % {"region": edition.region, "year": edition.year, "revision": draft.revision}
            )
        number = max(row.revision for row in revisions) + 1
        new = Catalogue.objects.create(
            region=edition.region,
            year=edition.year,
            revision=number,
            title=edition.title,
            created_by=by,
            notes=_("由第%(revision)s版动态调整") % {"revision": edition.revision},
        )
        _copy_items(edition, new)
        return new


def open_next_year(region, year, *, by):
    """Open a region's catalogue for a new year, starting from its newest published revision."""
    _require_region(by, region.pk)
    with transaction.atomic():
        if _lock_region_year(region.pk, year):
            raise ValidationError(_("%(region)s%(year)s年的目录已经存在。") % {"region": region, "year": year})
        source = (
            Catalogue.objects.published().filter(region=region, year__lt=year).order_by("-year", "-revision").first()
        )
        new = Catalogue.objects.create(
            region=region, year=year, revision=1, title=Catalogue.default_title(region, year), created_by=by
        )
        if source is not None:
            _copy_items(source, new)
        return new


def draft_edition_for(region, year, *, by):
    """The draft a new item of region and year goes into, opening one when none exists."""
    with transaction.atomic():
        return _draft_edition_for(region, year, by=by)


def _draft_edition_for(region, year, *, by):
    revisions = _lock_region_year(region.pk, year)
    draft = next((row for row in revisions if row.status == Catalogue.Status.DRAFT), None)
    if draft is not None:
        return draft
    published = next((row for row in revisions if row.status == Catalogue.Status.PUBLISHED), None)
    if published is not None:
        return open_revision(published, by=by)
    number = max((row.revision for row in revisions), default=0) + 1
    return Catalogue.objects.create(
        region=region, year=year, revision=number, title=Catalogue.default_title(region, year), created_by=by
    )

