"""The domain error every app's services raise: a write the portal refuses, and why."""


class PortalError(Exception):
    """A write the portal refuses; ``message`` says why in the user's language, ``problems`` (when
    given) lists each thing still to do."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
