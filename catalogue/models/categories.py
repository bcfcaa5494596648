from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategoryQuerySet(models.QuerySet):
    def areas(self):
        """The 一级 areas: the eight the notice names."""
        return self.filter(parent__isnull=True)

    def leaves(self):
        """The 末级 nodes: the only ones an item or a pilot item may sit under."""
        return self.filter(children__isnull=True)

    def branches(self):
        """The nodes with a category under them."""
        return self.filter(children__isnull=False).distinct()

    def may_be_parents(self):
        """The nodes a category may be put under: the tree has three levels, so not a 三级 one."""
        return self.filter(level__lt=ServiceCategory.MAX_LEVEL)

    def and_below(self, categories):
        """The given categories (objects, ids or a queryset of them) and every category under them (the tree has
        three levels)."""
        categories = _ids(categories)
        return self.filter(
            models.Q(pk__in=categories) | models.Q(parent__in=categories) | models.Q(parent__parent__in=categories)
        )

    def and_above(self, categories):
        """The given categories (objects, ids or a queryset of them) and every category above them: their 二级
        field and 一级 area."""
        categories = _ids(categories)
        above = models.Q(children__in=categories) | models.Q(children__children__in=categories)
        return self.filter(models.Q(pk__in=categories) | above).distinct()


def _ids(categories):
    """A queryset stays one (a subquery); objects become their ids."""
    if isinstance(categories, models.QuerySet):
        return categories
    return [getattr(category, "pk", category) for category in categories]


class ServiceCategory(models.Model):
    """A node of the three-level tree 一级 area → 二级 field → 三级 item type.

    Codes are a letter per area plus two digits per lower level (A, A01, A0102),
    so sorting by code gives the tree in order and leaves room to insert.
    """

    MAX_LEVEL = 3

    code = models.CharField(
        _("编码"),
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z](\d{2}){0,2}$", _("类别编码应为一个大写字母加0至2组两位数字，例如 A、A01、A0102。")
            )
        ],
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), editable=False, default=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    introduced_in = models.PositiveSmallIntegerField(
        _("纳入年份"),
        default=2015,
        help_text=_("2015年起试点的领域填2015；通知要求2017年覆盖的事务性管理服务填2017。"),
    )

    objects = ServiceCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.parent_id:
            if self.parent.level >= self.MAX_LEVEL:
                errors["parent"] = _("服务类别最多三级，三级类别下不能再设下级。")
            elif self.code and not (
                self.code.startswith(self.parent.code) and len(self.code) == len(self.parent.code) + 2
            ):
                errors["code"] = _("下级类别的编码应以上级编码“%(parent)s”开头，再加两位数字。") % {
                    "parent": self.parent.code
                }
        elif self.code and len(self.code) != 1:
            errors["code"] = _("一级类别的编码是一个大写字母；二级、三级类别须选择上级类别。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.level = self.parent.level + 1 if self.parent_id else 1
        super().save(*args, **kwargs)

    @property
    def is_leaf(self):
        if hasattr(self, "_prefetched_objects_cache") and "children" in self._prefetched_objects_cache:
            return not self._prefetched_objects_cache["children"]
        return not self.children.exists()

    @property
    def level_label(self):
        return {1: _("一级"), 2: _("二级"), 3: _("三级")}.get(self.level, "")

    def ancestors(self):
        """The path from the area down to this node, without extra queries when parents are selected."""
        path = []
        node = self
        while node is not None:
            path.append(node)
            node = node.parent if node.parent_id else None
        return list(reversed(path))
