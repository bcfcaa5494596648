"""The forms staff fill in, one module per concept: operations (发布, 退回 … the forms an admin
Operation asks before it calls a service) and the record forms of each model that knows who fills it in.

The operation forms are re-exported here because the admin's Operation declarations read them as
`forms.PublishForm`."""

from .operations import (  # noqa: F401
    CorrectionForm,
    DateInput,
    NextYearForm,
    OperationForm,
    PilotCommentForm,
    PilotReturnForm,
    PublishForm,
    RevisionForm,
    WithdrawForm,
    initial_correction,
    initial_next_year,
)
