"""``load_scenario``: a scenario file read, resolved, validated and built, in one call.

The steps live in their own modules (``document`` reads and resolves variants,
``build`` validates and builds, ``uncertainty`` checks the ``uncertain:``
section); this module only chains them, so that none of them needs another's caller.
"""

from __future__ import annotations

import logging
from pathlib import Path

from negotiation_sim.scenario.build import document_problems, scenario_from_document
from negotiation_sim.scenario.document import read_document
from negotiation_sim.scenario.errors import ScenarioError
from negotiation_sim.scenario.shipped import locate
from negotiation_sim.scenario.types import Scenario
from negotiation_sim.scenario.uncertainty import uncertainty_of

LOG = logging.getLogger(__name__)


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and build the scenario in ``path``; any problem is a ``ScenarioError``.

    ``path`` is a scenario file, or the name of a scenario shipped with the package
    (``load_scenario("ukraine_2022")``; ``shipped_scenarios()`` lists them).
    """
    path = locate(path)
    scenario = scenario_from_document(read_document(path), path)
    uncertainty_of(scenario)  # the uncertain: section, checked once here, not per change
    LOG.debug("read %s from %s", scenario.name, path)
    return scenario


def scenario_problems(path: str | Path) -> list[ScenarioError]:
    """Every problem of a scenario file, each a located ``ScenarioError``; empty if it loads.

    Independent sections are each checked (see ``build.document_problems``); a file that
    cannot be read or parsed as YAML has one problem.
    """
    try:
        file = locate(path)
        doc = read_document(file)
    except ScenarioError as error:
        return [error]
    scenario, problems = document_problems(doc, file)
    if scenario is not None:
        try:
            uncertainty_of(scenario)
        except ScenarioError as error:
            problems.append(error)
    return problems
