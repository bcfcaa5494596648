"""The pilot item's own form, as the admin builds it: 保存草稿 saves a draft as far as it is written; 保存并报送 asks,
on the fields at fault, for what a submission needs (PilotItem.submission_errors), before the item is saved and
submitted (catalogue/services/pilots.py checks the same again when it submits)."""


def submitting_form(form_class):
    """form_class, asking also what a submission needs: each missing field gets its message, and what the form does
    not show is said above the form."""

    class SubmittingForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            for field, message in self.instance.submission_errors().items():
                if field in self.fields and field not in self._errors:
                    self.add_error(field, message)
                elif field not in self.fields:
                    self.add_error(None, message)

    SubmittingForm.__name__ = form_class.__name__
    return SubmittingForm
