"""The exceptions newskg raises; the CLI turns each into one line and an exit code."""


class NewskgError(Exception):
    """Base of every error newskg reports to the user."""


class InputError(NewskgError):
    """An input article cannot be read; the message names the file and the problem."""


class UsageError(NewskgError):
    """The command was misused: nothing to build, a bad option."""


class NothingToBuild(UsageError):
    """No article could be read; `problems` says why for each file."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems
