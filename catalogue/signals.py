"""Keep items' search documents in step when a category is renamed, and the public cache with every public change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import (
    Catalogue,
    CatalogueItem,
    Contract,
    Evaluation,
    EvaluationWeights,
    Provider,
    ProviderStatusChange,
    PurchasingBody,
    Region,
    ServiceCategory,
)
from .public_cache import invalidate_public_pages


@receiver(post_save, sender=ServiceCategory)
def refresh_item_search_documents(sender, instance, created, raw=False, **kwargs):
    """An item's document holds its category path; renaming a node must reach every item below it."""
    if created or raw:
        return
    below = ServiceCategory.objects.and_below([instance])
    items = list(CatalogueItem.objects.filter(category__in=below).select_related("category__parent__parent"))
    for item in items:
        item.search_document = item.build_search_document()
    CatalogueItem.objects.bulk_update(items, ["search_document"], batch_size=500)


# What the public site shows changed: move the public version on, in the same transaction
# (catalogue/public_cache.py). A draft edition and its items are not shown, so their edits
# do not empty every worker's cache; everything else the public pages read does.
def _public_change(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, Catalogue) and instance.status == Catalogue.Status.DRAFT:
        return
    if isinstance(instance, CatalogueItem) and _in_draft(instance):
        return
    invalidate_public_pages()


def _in_draft(item):
    edition = item.edition if CatalogueItem.edition.is_cached(item) else None
    if edition is None:
        edition = Catalogue.objects.filter(pk=item.edition_id).only("status").first()
    return edition is None or edition.status == Catalogue.Status.DRAFT


def _public_m2m_change(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _public_change(sender, instance)


PUBLIC_MODELS = (
    Catalogue,
    CatalogueItem,
    Contract,
    Evaluation,
    EvaluationWeights,
    Provider,
    ProviderStatusChange,
    PurchasingBody,
    Region,
    ServiceCategory,
)

for _model in PUBLIC_MODELS:
    post_save.connect(_public_change, sender=_model, dispatch_uid=f"public-change-save-{_model.__name__}")
    post_delete.connect(_public_change, sender=_model, dispatch_uid=f"public-change-delete-{_model.__name__}")
m2m_changed.connect(_public_m2m_change, sender=CatalogueItem.purchasing_bodies.through, dispatch_uid="public-item-bodies")
m2m_changed.connect(_public_m2m_change, sender=Provider.categories.through, dispatch_uid="public-provider-categories")
