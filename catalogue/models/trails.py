"""What a trail's table reads from one step, for every record that keeps one: a pilot item's PilotTransition
and a provider's ProviderStatusChange (templates/admin/catalogue/includes/trail.html, the 申报表 too).

Each step has `at`, `by`, `action`, `from_status` and `to_status`; the mixin adds who did it, named the same
way on every staff page, and the free text of the step (a comment or a reason) under one name.
"""


def account_name(user):
    """The person who did something, as a staff page names them: the full name, or else the login name;
    "—" when no account is recorded (a command, or an account since deleted)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


class TrailStep:
    """A plain mixin for a step model (no fields, so no migration): `note_field` names its free text."""

    note_field = "comment"

    @property
    def by_name(self):
        return account_name(self.by)

    @property
    def note(self):
        return getattr(self, self.note_field)
