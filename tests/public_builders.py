"""Builders for the public-site tests: a large edition in a few queries, and the rows a page shows."""

import re
from decimal import Decimal

from catalogue.models import CatalogueItem, ProcurementMethod, ServiceCategory
from tests import factories

METHODS = [value for value, _label in ProcurementMethod.choices]


def bulk_items(edition, count, bodies=(), pilot_every=7):
    """`count` items spread over every leaf category, with bodies, methods, pilots and budgets varied.

    bulk_create skips save(), so the search document is built here, as save() would.
    """
    leaves = list(ServiceCategory.objects.leaves().select_related("parent__parent").order_by("code"))
    items = []
    for index in range(count):
        category = leaves[index % len(leaves)]
        item = CatalogueItem(
            edition=edition,
            category=category,
            code=f"{category.code}-{index // len(leaves) + 1:02d}",
            name=f"{category.name}（第{index + 1}项）",
            content=f"面向城乡居民提供{category.name}，按服务数量和质量付费。",
            provider_requirements="依法登记，具备相应专业人员和服务场所。",
            procurement_method=METHODS[index % len(METHODS)],
            performance_standard="服务对象满意度不低于90%。",
            budget=Decimal(10000 + index * 100) if index % 3 else None,
            is_pilot=index % pilot_every == 0,
            notes="",
        )
        item.search_document = item.build_search_document()
        items.append(item)
    CatalogueItem.objects.bulk_create(items)
    if bodies:
        through = CatalogueItem.purchasing_bodies.through
        through.objects.bulk_create(
            through(catalogueitem_id=item.pk, purchasingbody_id=bodies[index % len(bodies)].pk)
            for index, item in enumerate(items)
        )
    factories.published(edition)
    return items


ROW_CODE = re.compile(r'<td class="col-code" data-label="[^"]*">([^<]*)</td>')
ROW_SEQ = re.compile(r'<td class="col-seq" data-label="[^"]*">(\d+)</td>')


def page_codes(html):
    """The 编码 of each row of the official table in a rendered page, in order."""
    return ROW_CODE.findall(html)


def page_seqs(html):
    return [int(seq) for seq in ROW_SEQ.findall(html)]
