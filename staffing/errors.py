"""The error a staffing parameter raises when it is out of its domain, with the field as data."""
from __future__ import annotations


class FieldError(ValueError):
    """A parameter outside its domain.

    Attributes
    ----------
    field : str
        The parameter's name, as the dataclass or function spells it.
    expected : str
        What was expected, in words (``"a fraction in [0, 1]"``).
    value : object
        The value given.
    owner : str or None
        The queue or source it belongs to, when there is one.

    The message is ``"field: expected ..., got value (owner)"``; a caller that
    maps it to its own key (a config file's ``sources.NAME.field``) reads the
    attributes, never the text.
    """

    def __init__(self, field: str, expected: str, value, owner: str | None = None):
        self.field = field
        self.expected = expected
        self.value = value
        self.owner = owner
        suffix = f" ({owner})" if owner else ""
        super().__init__(f"{field}: expected {expected}, got {value!r}{suffix}")
