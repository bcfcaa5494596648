"""Keep items' search documents in step when a category is renamed."""

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CatalogueItem, ServiceCategory


@receiver(post_save, sender=ServiceCategory)
def refresh_item_search_documents(sender, instance, created, raw=False, **kwargs):
    """An item's document holds its category path; renaming a node must reach every item below it."""
    if created or raw:
        return
    below = Q(category=instance) | Q(category__parent=instance) | Q(category__parent__parent=instance)
    items = list(CatalogueItem.objects.filter(below).select_related("category__parent__parent"))
    for item in items:
        item.search_document = item.build_search_document()
    CatalogueItem.objects.bulk_update(items, ["search_document"], batch_size=500)
