"""Scenarios shipped inside the package: found by name, listed with a line about each.

The repository keeps one copy of the scenario files and fact sheets, in its top-level
``scenarios/`` and ``seeds/``. The package reaches them through the symlinks
``negotiation_sim/scenarios`` and ``negotiation_sim/seeds``, which a built wheel holds
as real files (package data). Installed or not, a shipped scenario's ``extends:`` and
``source:`` therefore resolve as they do in the repository.

A scenario is named by its path under ``scenarios/`` without ``.yaml``:
``ukraine_2022``, ``theory/fearon_crisis``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from negotiation_sim.scenario.document import read_document
from negotiation_sim.scenario.errors import ScenarioError

SUFFIX = ".yaml"


def package_data() -> Path:
    """The directory holding ``scenarios/`` and ``seeds/`` (the package's own directory)."""
    return Path(str(files("negotiation_sim")))


def scenarios_directory() -> Path:
    return package_data() / "scenarios"


@dataclass(frozen=True)
class ShippedScenario:
    """A scenario file that comes with the package."""

    name: str
    """What ``load_scenario`` and ``negotiation-sim run`` take, e.g. ``ukraine_2022``."""
    title: str
    """The scenario's own ``name:``."""
    summary: str
    """The first sentence of its ``description:``."""
    path: Path
    fact_sheet: Path | None
    """The shipped fact sheet its ``source:`` names, if it names one."""

    def __str__(self) -> str:
        return f"{self.name}: {self.summary or self.title}"


def shipped_scenarios() -> list[ShippedScenario]:
    """Every shipped scenario, sorted by name (those in sub-folders, such as ``theory/``, last)."""
    root = scenarios_directory()
    paths = sorted(root.rglob(f"*{SUFFIX}"), key=lambda p: (len(p.relative_to(root).parts), p))
    return [_describe(path, root) for path in paths]


def _describe(path: Path, root: Path) -> ShippedScenario:
    doc = read_document(path)  # with any base it extends, so a variant inherits what it omits
    source = doc.get("source")
    sheet = package_data() / source if isinstance(source, str) else None
    return ShippedScenario(
        name=path.relative_to(root).with_suffix("").as_posix(),
        title=str(doc.get("name", "")),
        summary=_first_sentence(str(doc.get("description") or "")),
        path=path,
        fact_sheet=sheet if sheet is not None and sheet.is_file() else None,
    )


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    head, dot, _ = flat.partition(". ")
    return head + dot.strip()


def locate(scenario: str | Path) -> Path:
    """The file ``scenario`` names: a path to an existing file, else a shipped scenario's name.

    A name that is neither (a file that is missing and no shipped scenario) is a
    ``ScenarioError`` listing the shipped names; a missing path with a suffix is left to
    the reader, which reports it as a missing file.
    """
    path = Path(scenario)
    if path.exists() or path.suffix:
        return path
    shipped = scenarios_directory() / f"{path.as_posix()}{SUFFIX}"
    if shipped.is_file():
        return shipped
    names = ", ".join(s.name for s in shipped_scenarios())
    raise ScenarioError(
        f"no such file, and no shipped scenario of that name (shipped: {names})", file=str(path)
    )
