"""Errors that point at a file, a line and a field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class CatalogError:
    """One problem in the catalogue, printed as ``file:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = self.field or "(file)"
        return f"{self.path}:{self.line}: {field}: {self.message}"


class CatalogInvalid(Exception):
    """Raised when the catalogue has errors; carries all of them."""

    def __init__(self, errors: list[CatalogError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible, else absolute."""
    try:
        # The folder's links resolved, not the file's own: a link is shown by its name.
        full = path.absolute()
        return str((full.parent.resolve() / full.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class UnknownModels(Exception):
    """Model ids asked for on the command line that the catalogue does not have (a usage error)."""
