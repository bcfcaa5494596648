from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConstraintErrorsOnFieldsMixin:
    """Put a multi-field constraint's message on the field a clerk should change.

    Django reports a violated multi-field UniqueConstraint as a form-wide
    error; the policy's rules (one revision number per region and year, one
    published revision) read better on the field itself. Map each constraint's
    violation_error_code to a field in `constraint_error_fields`.
    """

    constraint_error_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = {}
            for field, field_errors in exc.error_dict.items():
                for error in field_errors:
                    target = field
                    if field == NON_FIELD_ERRORS:
                        target = self.constraint_error_fields.get(error.code, field)
                    errors.setdefault(target, []).append(error)
            raise ValidationError(errors) from exc


def account_field(verbose_name):
    """A staff account named on a row (录入人, 填报人, 发布人 …: the policy's word for it), set by the
    services, never on a form, and kept as empty when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def budget_field():
    """预算（元）: an amount in yuan, optional, never negative; an item's budget and a pilot item's planned one
    (which becomes the item's on approval) are the same kind of figure."""
    return models.DecimalField(
        _("预算（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("预算金额不能为负数。"))],
    )


class Timestamped(models.Model):
    """When a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Recorded(Timestamped):
    """Timestamped, and who created the row (录入人). A model whose policy names its creator otherwise
    (a pilot item's 填报人, an edition's 创建人) declares created_by again with account_field."""

    created_by = account_field(_("录入人"))

    class Meta:
        abstract = True
