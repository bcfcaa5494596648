from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
