"""leaktrace: the investigator's workbench for personal-data trafficking and breach cases."""

import sys

__version__ = "0.1.0"


def _remember_missing_dateutil() -> None:
    """Let pyarrow see at once that `dateutil` is absent.

    pyarrow tries `import dateutil.relativedelta` on every conversion of a Python
    value to an Arrow scalar (each `pc.equal(array, "x")`); a module that is not
    installed is searched for on disk again each time (~50 µs a call). A `None`
    entry in `sys.modules` makes the failing import immediate.
    """
    try:
        import dateutil.relativedelta  # noqa: F401
    except ImportError:
        sys.modules.setdefault("dateutil.relativedelta", None)


_remember_missing_dateutil()
