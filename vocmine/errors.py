"""Errors that tell the user which file is at fault and what to do next."""


class VocmineError(Exception):
    """Base class: its message is meant to be shown to a user as is."""


class ConfigError(VocmineError):
    pass


class InputError(VocmineError):
    """A single input (file, row) cannot be processed; the run goes on without it."""


class AudioDecodeError(InputError):
    pass


class ModelError(VocmineError):
    pass


class StoreError(VocmineError):
    pass
