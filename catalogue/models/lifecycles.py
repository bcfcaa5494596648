"""One shape for every lifecycle: a table of transitions, and one helper that applies a step.

A lifecycle is data: action → (the states it may start from, the state it leads to), read by the
services that change the state and by the admin's Operation buttons (state_allows). step() is the
one place that checks a move against the table, sets the new state, and names in the history who did it
(`by`: a script has no request for simple_history to take the user from) and why; simple_history notes
when. A service whose lifecycle keeps a trail (pilot items, qualifications) adds its trail row with the
same `by`. The services lock the row first, so the check reads the state as it is now.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone


@dataclass(frozen=True)
class Lifecycle:
    transitions: dict
    actions: type | None = None  # the TextChoices naming the actions (their labels are the trail's words)
    status_field: str = "status"
    changed_at_field: str | None = None  # set to now on every step, where the model keeps it
    refusal: str = ""  # "…当前为“%(status)s”，不能%(action)s…"; %(object)s is the row
    refusals: dict | None = None  # action → its own refusal, where one action words it differently
    object_key: str = "object"  # the refusal's name for the row (%(edition)s in the edition's)
    refusal_context: Callable | None = None  # row → further %(…)s keys of a refusal (the evaluation's date)

    def allows(self, obj, action):
        sources, _target = self.transitions[action]
        return getattr(obj, self.status_field) in sources

    def state_allows(self, action):
        """For an admin Operation: whether obj's state allows `action` (the service checks again, locked)."""
        return lambda obj: self.allows(obj, action)

    def available(self, obj):
        """The actions obj's state allows, in the table's order."""
        return [action for action in self.transitions if self.allows(obj, action)]

    def label(self, action):
        return self.actions(action).label if self.actions else action

    def step(self, locked, action, *, by=None, reason="", change_reason=None):
        """Check `action` against the table for the locked row and apply it; return (from_status, to_status).

        Raises ValidationError with the lifecycle's refusal when the row's state does not allow it (it may
        have been handled by someone else meanwhile). The history's reason is "<action>：<reason>", or
        `change_reason` where the service words it itself."""
        if not self.allows(locked, action):
            display = getattr(locked, f"get_{self.status_field}_display")()
            refusal = (self.refusals or {}).get(action, self.refusal)
            context = {"status": display, "action": self.label(action), self.object_key: locked}
            context.update(self.refusal_context(locked) if self.refusal_context else {})
            raise ValidationError(refusal % context)
        _sources, target = self.transitions[action]
        from_status = getattr(locked, self.status_field)
        setattr(locked, self.status_field, target)
        if self.changed_at_field:
            setattr(locked, self.changed_at_field, timezone.now())
        if change_reason is None:
            change_reason = f"{self.label(action)}{('：' + reason) if reason else ''}"
        locked._change_reason = change_reason
        if by is not None:
            locked._history_user = by
        return from_status, target
