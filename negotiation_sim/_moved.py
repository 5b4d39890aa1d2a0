"""The warning that an old module path, kept for one release, has moved."""

import warnings

REMOVED_IN = "0.3.0"


def warn_moved(old: str, new: str) -> None:
    """Tell whoever imported ``old`` (two frames up: past the import machinery's own) to use
    ``new``; ``DeprecationWarning``, so test suites see it and end users are not bothered."""
    warnings.warn(
        f"{old} has moved to {new}; import it from there ({old} will be removed in {REMOVED_IN})",
        DeprecationWarning,
        stacklevel=3,
    )
