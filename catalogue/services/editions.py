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

from catalogue.models import EDITION_LIFECYCLE, Catalogue, CatalogueItem, PublicationCorrection, Region
from catalogue.permissions import OPEN, acts_for_region, may_act_on, may_review
from catalogue.public_cache import invalidate_public_pages
from catalogue.validators import normalise_document_number

from . import notifications
from .publication import record_publication, write_publication_files
from .records import lock_unfrozen


def _require_reviewer(user, what):
    if not may_review(user):
        raise PermissionDenied(_("只有市财政局可以%(what)s。") % {"what": what})


def _require_region(user, region_id):
    if not acts_for_region(user, region_id):
        raise PermissionDenied(_("您无权编制该行政区划的目录。"))


def save_edition_draft(edition, *, by):
    """Open a new edition or save a draft's own fields (title, 说明), as the edition's admin page does.

    Only municipal finance or the county office of the region opens or edits a region's catalogue
    (catalogue.permissions' OPEN rule); a new one records who opened it. Which catalogue a draft is —
    its region, year and revision — is fixed once it exists: its items, pilot items and later revisions
    hang on it (issue 12, finding 4). A published one is frozen (lock_unfrozen refuses it).
    """
    if not may_act_on(by, edition, OPEN):
        raise PermissionDenied(_("您无权编制该行政区划的目录。"))
    with transaction.atomic():
        stored = lock_unfrozen(edition)
        if stored is None:
            edition.created_by = by
        else:
            fixed = ("region_id", "year", "revision")
            if any(getattr(edition, name) != getattr(stored, name) for name in fixed):
                raise ValidationError(_("目录创建后，其行政区划、年度和修订版次不能再修改。"))
        edition.full_clean()
        edition._history_user = by
        edition.save()
        return edition


def _lock_region_year(region_id, year):
    """Lock every revision of one region and year, in a fixed order, so two publishers queue up.

    The region's row is locked first: when the year has no revision yet there is nothing else to
    lock, and two clerks opening it at once must still queue up rather than collide.
    """
    Region.objects.select_for_update().filter(pk=region_id).first()
    return list(Catalogue.objects.select_for_update().filter(region_id=region_id, year=year).order_by("pk"))


def _checked_number_and_date(document_number, published_on):
    """(文号 in its official form, date), or a ValidationError on the fields at fault."""
    errors = {}
    try:
        document_number = normalise_document_number(
            document_number, year=published_on.year if published_on else None
        )
    except ValidationError as error:
        errors["document_number"] = error.messages
    if not published_on:
        errors["published_on"] = _("发布目录须填写发布日期。")
    if errors:
        raise ValidationError(errors)
    return document_number, published_on


def publish_edition(edition, *, by, document_number, published_on):
    """Publish a draft; the revision in force for the same region and year becomes superseded.

    The 文号 is read in whatever form the clerk typed and kept in the official one
    (机关代字〔年份〕序号号, GB/T 9704-2012), its year that of the 发布日期; once public it is a
    public record, so a wrong one is refused here rather than corrected later.
    """
    _require_reviewer(by, _("发布目录"))
    document_number, published_on = _checked_number_and_date(document_number, published_on)
    with transaction.atomic():
        revisions = {row.pk: row for row in _lock_region_year(edition.region_id, edition.year)}
        locked = revisions[edition.pk]
        EDITION_LIFECYCLE.step(
            locked, "publish", by=by, change_reason=_("发布，文号%(number)s") % {"number": document_number}
        )
        if not locked.items.exists():
            raise ValidationError(_("目录中还没有事项，不能发布。"))
        for other in revisions.values():
            if other.pk != locked.pk and EDITION_LIFECYCLE.allows(other, "supersede"):
                EDITION_LIFECYCLE.step(
                    other, "supersede", by=by, change_reason=_("被第%(revision)s版替代") % {"revision": locked.revision}
                )
                other.save(update_fields=["status", "updated_at"])
        locked.document_number = document_number
        locked.published_on = published_on
        locked.published_by = by
        locked.full_clean()
        locked.save()
        # Its figures and official files, in this transaction: published means recorded.
        record_publication(locked, by=by)
        notifications.edition_published(locked, by=by)
        return locked


def correct_publication(edition, *, by, document_number, published_on, reason):
    """Put right a published edition's 文号 or 发布日期 (municipal finance only, with a reason).

    The catalogue itself stays frozen: only the two facts of its publication change. The
    correction is kept (PublicationCorrection: before, after, why, who, when, and the checksums
    of the files it replaces), written into the edition's history, and shown on the public page.
    The official files name the 文号, so they are written again with the corrected one
    (publication.write_publication_files); the public page then lists the new checksums.
    """
    _require_reviewer(by, _("更正目录的发布信息"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("更正发布信息须说明理由。")})
    document_number, published_on = _checked_number_and_date(document_number, published_on)
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=edition.pk)
        if locked.status not in Catalogue.PUBLIC_STATUSES:
            raise ValidationError(
                _("只有已发布或已被替代的目录可以更正发布信息；该目录当前为“%(status)s”。")
                % {"status": locked.get_status_display()}
            )
        if (locked.document_number, locked.published_on) == (document_number, published_on):
            raise ValidationError(_("文号和发布日期都没有改变，无需更正。"))
        correction = PublicationCorrection.objects.create(
            edition=locked,
            previous_document_number=locked.document_number,
            document_number=document_number,
            previous_published_on=locked.published_on,
            published_on=published_on,
            reason=reason.strip(),
            previous_files={record.kind: record.sha256 for record in locked.published_files.all()},
            corrected_by=by,
        )
        summary = correction_summary(correction)
        locked.document_number = document_number
        locked.published_on = published_on
        locked.full_clean()
        locked._change_reason = summary
        locked.save(update_fields=["document_number", "published_on", "updated_at"])
        if locked.published_files.exists():
            write_publication_files(locked)
        invalidate_public_pages()
        notifications.publication_corrected(locked, by=by, summary=summary)
        return locked


def correction_summary(correction):
    """更正发布信息：文号 A → B；发布日期 x → y。理由：…"""
    parts = []
    if correction.number_changed:
        parts.append(
            _("文号%(old)s → %(new)s")
            % {"old": correction.previous_document_number, "new": correction.document_number}
        )
    if correction.date_changed:
        parts.append(
            _("发布日期%(old)s → %(new)s")
            % {"old": correction.previous_published_on or "—", "new": correction.published_on}
        )
    return _("更正发布信息：%(changes)s。理由：%(reason)s") % {"changes": "；".join(parts), "reason": correction.reason}


def withdraw_edition(edition, *, by, reason):
    """Withdraw a published revision: the public no longer sees it. The record and its history stay."""
    _require_reviewer(by, _("撤回目录"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤回目录须说明理由。")})
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=edition.pk)
        EDITION_LIFECYCLE.step(locked, "withdraw", by=by, change_reason=reason.strip())
        locked.save(update_fields=["status", "updated_at"])
        # Its figures stop counting (they are read for public editions only) and its files stop
        # being served; both are kept, as the record of what was once published.
        invalidate_public_pages()
        notifications.edition_withdrawn(locked, by=by, reason=reason.strip())
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


def open_revision(edition, *, by, notes=None):
    """Start a correction (动态调整): a draft copy of a published revision, numbered next.

    Its 说明 is what the clerk writes for it (`notes`), or else the 说明 of the revision it
    corrects; where it came from (由第N版动态调整) goes into its history, not over the 说明.
    """
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
        new = Catalogue(
            region=edition.region,
            year=edition.year,
            revision=number,
            title=edition.title,
            created_by=by,
            notes=edition.notes if notes is None or not notes.strip() else notes.strip(),
        )
        new._change_reason = _("由第%(revision)s版动态调整") % {"revision": edition.revision}
        new._history_user = by
        new.save()
        _copy_items(edition, new)
        notifications.draft_opened(new, by=by)
        return new


def _newest_published_before(region, year):
    """The region's newest published revision of an earlier year: what a new year starts from."""
    return Catalogue.objects.published().filter(region=region, year__lt=year).order_by("-year", "-revision").first()


def _opened_by_approvals(revisions):
    """The year's draft when approvals alone opened the year: one draft, nothing published, and
    every item in it an approved pilot item (or none at all). Otherwise None."""
    if len(revisions) != 1 or not revisions[0].is_draft:
        return None
    draft = revisions[0]
    if draft.items.filter(pilot_item__isnull=True).exists():
        return None
    return draft


def _merge_into(draft, source):
    """Copy source's items into a draft that holds only approved pilot items.

    The copied items keep their codes (the same item keeps its code from year to year); a pilot
    item whose automatic code one of them takes is given the next free code of its category.
    """
    taken = set(source.items.values_list("code", flat=True))
    moved = [item for item in draft.items.select_related("category") if item.code in taken]
    for item in moved:
        CatalogueItem.objects.filter(pk=item.pk).update(code=f"~{item.pk}")
    copied = _copy_items(source, draft)
    for item in moved:
        old_code = item.code
        item.code = CatalogueItem.next_code(draft.pk, item.category)
        item._change_reason = _("并入上一年度事项，编码由%(old)s改为%(new)s") % {"old": old_code, "new": item.code}
        item.save(update_fields=["code", "updated_at"])
    return copied


def open_next_year(region, year, *, by):
    """Open a region's catalogue for a new year, starting from its newest published revision.

    When approving a pilot item already opened the year (a draft holding only approved pilot
    items), the newest published revision's items are merged into that draft instead: the year
    is the same catalogue whichever came first (issue 12, finding 1).
    """
    _require_region(by, region.pk)
    with transaction.atomic():
        revisions = _lock_region_year(region.pk, year)
        source = _newest_published_before(region, year)
        if revisions:
            draft = _opened_by_approvals(revisions)
            if draft is None or source is None:
                raise ValidationError(_("%(region)s%(year)s年的目录已经存在。") % {"region": region, "year": year})
            copied = _merge_into(draft, source)
            draft._change_reason = _("并入%(source)s的%(count)s项事项（编制下一年度目录）") % {
                "source": source.label,
                "count": len(copied),
            }
            draft._history_user = by
            draft.save(update_fields=["updated_at"])
            notifications.draft_opened(draft, by=by)
            return draft
        new = Catalogue.objects.create(
            region=region, year=year, revision=1, title=Catalogue.default_title(region, year), created_by=by
        )
        if source is not None:
            _copy_items(source, new)
        notifications.draft_opened(new, by=by)
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
    if not revisions:
        # The year's first catalogue: start it as 编制下一年度目录 would, from the newest published one.
        return open_next_year(region, year, by=by)
    number = max(row.revision for row in revisions) + 1
    new = Catalogue.objects.create(
        region=region, year=year, revision=number, title=Catalogue.default_title(region, year), created_by=by
    )
    notifications.draft_opened(new, by=by)
    return new
