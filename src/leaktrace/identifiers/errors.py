"""Errors raised by the identifier validators (all are ``ValueError``)."""


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier of the requested type."""

    message = "invalid identifier"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)


class InvalidFormat(InvalidIdentifier):
    """The value contains characters or a structure the type does not allow."""

    message = "invalid format"


class InvalidLength(InvalidIdentifier):
    """The value has a length the type does not allow."""

    message = "invalid length"


class InvalidChecksum(InvalidIdentifier):
    """The check character or check digit does not match."""

    message = "invalid checksum"


class InvalidDate(InvalidIdentifier):
    """An embedded date is impossible, before 1900 or in the future."""

    message = "invalid date"


class InvalidPrefix(InvalidIdentifier):
    """The prefix (issuer, allocation block, area) is not allocated."""

    message = "invalid prefix"


class Masked(InvalidIdentifier):
    """The value is partly masked (``138****8000``) and cannot be an identifier."""

    message = "masked value"
