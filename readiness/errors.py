"""Errors that reach a user as one line, never as a traceback."""


class UserError(Exception):
    """A problem the user can fix: bad input, unknown id, missing file."""


class ConfigError(UserError):
    """A setting has a value that cannot be used."""
