"""The scenario layer: a YAML file in, a validated ``Scenario`` out.

Modules, in the order a file passes through them:

- ``document``: YAML read with the file and line of every value; ``extends:`` / ``set:`` variants;
- ``schema``: the file's shape as pydantic models;
- ``build``: meaning checked (names resolve, red lines leave something) and the ``Scenario`` built;
- ``uncertainty``: the ``uncertain:`` section, its distributions and draws;
- ``apply``: each run's drawn values set on the built scenario (what ensembles use);
- ``load``: the three steps chained (``load_scenario``);
- ``shipped``: the scenarios that come with the package, found by name;
- ``provenance``: which citation or assumption vouches for each number of a file;
- ``types``: the in-memory ``Scenario`` the model consumes; ``errors``: ``ScenarioError``.

The negotiation core refers to ``types`` only for type hints, so this layer sits
above it: it builds core objects (issues, preferences, war options), never the reverse.
"""

from negotiation_sim.scenario.build import with_changes
from negotiation_sim.scenario.errors import ScenarioError
from negotiation_sim.scenario.load import load_scenario, scenario_problems
from negotiation_sim.scenario.shipped import ShippedScenario, shipped_scenarios
from negotiation_sim.scenario.types import Scenario
from negotiation_sim.scenario.uncertainty import uncertainty_of

__all__ = [
    "Scenario",
    "ScenarioError",
    "ShippedScenario",
    "load_scenario",
    "scenario_problems",
    "shipped_scenarios",
    "uncertainty_of",
    "with_changes",
]
