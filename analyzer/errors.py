"""Errors a user can act on. The CLI turns them into one line on stderr and exit code 3."""


class BadInputError(Exception):
    """The input cannot be analysed: missing, unsupported, corrupt, encrypted, too large, a scan."""
