"""What an edition's page reads, whether the public sees it published or staff preview it as a draft."""

from catalogue.filters import TABLE_ORDER


def edition_table(items, edition):
    """The edition's items among `items` as the official table lists them: their columns read at once
    (with_table_columns), in the table's order (catalogue.filters.TABLE_ORDER).

    `items` says who reads: CatalogueItem.objects.public() for the public page, every item of the draft
    for the preview (whose reader the preview's permission checked)."""
    return items.filter(edition=edition).with_table_columns().order_by(*TABLE_ORDER)
