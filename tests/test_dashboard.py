"""The dashboard without a browser: its controls, the model and ensembles built from them, the
asset cache, and the command's messages when something is missing.
(``test_dashboard_browser.py`` drives the page itself.)"""

import base64
import hashlib
import io
import json
import socket
import subprocess
import sys
import tarfile

import pandas as pd
import pytest

from negotiation_sim.cli import main
from negotiation_sim.dashboard import assets, launch
from negotiation_sim.dashboard.settings import (
    AS_IN_FILE,
    SidebarModel,
    changes,
    file_value,
    run_tab_ensemble,
    seed_of,
    settings_of,
)
from negotiation_sim.ensemble import run_ensemble
from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import ScenarioError, load_scenario, uncertainty_of
from negotiation_sim.transcript import transcript_json


def untouched(scenario) -> dict:
    """What every control shows before the user moves one."""
    return {s.path: s.default for s in settings_of(scenario)}


def test_the_controls_are_the_deadline_the_noise_and_each_uncertain_value(ukraine):
    settings = settings_of(ukraine)
    uncertain = uncertainty_of(ukraine).paths
    assert [s.path for s in settings] == [
        "protocol.deadline",
        "beliefs.noise",
        *[p for p in uncertain if p != "beliefs.noise"],
    ]
    deadline, noise = settings[0], settings[1]
    assert (deadline.default, deadline.integer) == (30, True)
    assert (noise.low, noise.high, noise.default) == (0.05, 0.2, 0.1)  # its uncertain range
    for setting in settings:
        if setting.choices is None:
            assert setting.low <= setting.default <= setting.high
            assert setting.default == file_value(ukraine, setting.path)
            steps = (setting.default - setting.low) / setting.step
            assert abs(steps - round(steps)) < 1e-9, f"{setting.path} starts off its steps"
    labels = [s.label for s in settings]
    assert labels[2:4] == ["Russia: base_cost", "Russia: belarus_troops"]
    assert "8,500 US troops join the NATO force: day" in labels and labels[-1] == "leak.day"
    red_lines = next(s for s in settings if s.path == "actors.Russia.red_lines")
    assert red_lines.default == AS_IN_FILE  # the file's red line is neither drawn choice
    assert list(red_lines.choices.values())[2] == []


def test_untouched_controls_make_the_plain_model(ukraine):
    model = SidebarModel(ukraine, rng="11", **untouched(ukraine))
    plain = NegotiationModel(ukraine, rng=11)
    model.run(), plain.run()
    assert model.changes == {}
    assert transcript_json(model) == transcript_json(plain)


def test_moved_controls_change_the_scenario_and_only_those(ukraine):
    shown = {
        **untouched(ukraine),
        "beliefs.noise": 0.2,
        "protocol.deadline": 60.0,
        "actors.Russia.red_lines": "1: []",
    }
    moved = changes(ukraine, shown)
    assert moved == {"beliefs.noise": 0.2, "protocol.deadline": 60, "actors.Russia.red_lines": []}
    model = SidebarModel(ukraine, rng=3, **shown)
    assert model.deadline == 20  # 60 days of 3-day rounds
    assert model.changes == moved and model.base is ukraine
    with pytest.raises(ValueError, match=r"no such setting: beliefs\.nois"):
        changes(ukraine, {"beliefs.nois": 0.2})
    with pytest.raises(ValueError, match="not one of its choices"):
        changes(ukraine, {"actors.Russia.red_lines": "firm"})


@pytest.mark.parametrize("typed", ["", "seven", "-1", "1.5"])
def test_a_bad_seed_is_refused_with_what_was_typed(typed, ukraine):
    with pytest.raises(ValueError, match="the seed must be") as refused:
        seed_of(typed)
    model = SidebarModel(ukraine, rng=typed, **untouched(ukraine))
    assert model.problem == f"{refused.value}; this run has seed {model.seed}"
    assert model.run() == NegotiationModel(ukraine, rng=model.seed).run()


def test_values_the_scenario_refuses_are_not_applied_and_say_why(ukraine):
    model = SidebarModel(ukraine, rng=4, **{**untouched(ukraine), "protocol.leak.day": -3})
    assert model.problem is not None
    assert model.problem.startswith("the sidebar's values were not applied: ")
    assert "protocol.leak.day: should be greater than or equal to 0" in model.problem
    assert model.changes == {}
    assert model.run() == NegotiationModel(ukraine, rng=4).run()


def test_the_tab_ensemble_is_run_ensemble_unless_values_are_held(ukraine):
    plain = run_ensemble(ukraine, runs=40, seed=5, workers=1, progress=False)
    tab = run_tab_ensemble(ukraine, {}, hold=False, runs=40, seed=5, workers=1)
    pd.testing.assert_frame_equal(tab.runs, plain.runs)
    moved = {"actors.Russia.outside_option.base_cost": 0.1}
    held = run_tab_ensemble(ukraine, moved, hold=True, runs=40, seed=5, workers=1)
    assert (held.runs["actors.Russia.outside_option.base_cost"] == 0.1).all()
    assert (held.runs["beliefs.noise"] == 0.1).all()  # the file's, as the control shows it
    assert list(held.runs["seed"]) == list(plain.runs["seed"])  # common random numbers
    drawn = run_tab_ensemble(ukraine, moved, hold=False, runs=40, seed=5, workers=1)
    assert drawn.runs["actors.Russia.outside_option.base_cost"].nunique() > 1


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _registry(monkeypatch, tarball: bytes, integrity: bytes) -> list[str]:
    """A registry that answers every package with ``tarball``; the URLs asked for."""
    asked: list[str] = []
    digest = "sha512-" + base64.b64encode(integrity).decode()

    def get(url: str) -> bytes:
        asked.append(url)
        if url.endswith(".tgz"):
            return tarball
        return json.dumps({"dist": {"tarball": url + ".tgz", "integrity": digest}}).encode()

    monkeypatch.setattr(assets, "_get", get)
    return asked


def test_fetch_fills_the_cache_as_the_proxy_reads_it(tmp_path, monkeypatch):
    tarball = _tarball({"package.json": b"{}", "dist/app.js": b"console.log(1)"})
    asked = _registry(monkeypatch, tarball, hashlib.sha512(tarball).digest())
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "https://registry.example/")
    assert assets.missing(tmp_path) == list(assets.PACKAGES)
    assert assets.fetch(tmp_path) == list(assets.PACKAGES)
    assert assets.missing(tmp_path) == []
    spec = "@widgetti/solara-vuetify-app@10.1.1"
    assert (tmp_path / spec / "dist" / "app.js").read_bytes() == b"console.log(1)"
    assert "https://registry.example/@widgetti%2Fsolara-vuetify-app/10.1.1" in asked
    asked.clear()
    assert assets.fetch(tmp_path) == [] and asked == []  # a full cache asks for nothing


def test_a_tarball_that_does_not_match_its_hash_is_refused(tmp_path, monkeypatch, capsys):
    tarball = _tarball({"package.json": b"{}"})
    _registry(monkeypatch, tarball, hashlib.sha512(b"something else").digest())
    assert assets.main([str(tmp_path)]) == 1
    assert "does not match the registry's sha512" in capsys.readouterr().err
    assert assets.missing(tmp_path) == list(assets.PACKAGES)


def _dashboard_error(capsys, *args: str) -> str:
    assert main(["dashboard", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    return captured.err


def test_the_command_says_how_to_fill_a_missing_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(assets.CACHE_VARIABLE, str(tmp_path))
    error = _dashboard_error(capsys, "ukraine_2022", "--port", "1")
    assert f"not in {tmp_path}" in error and assets.FETCH_COMMAND in error


def test_the_command_names_the_extra_when_solara_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(launch, "_importable", lambda name: name != "solara")
    error = _dashboard_error(capsys)
    assert "needs solara" in error and 'pip install "negotiation-sim[dashboard]"' in error


def test_the_command_refuses_a_port_in_use_and_a_bad_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(launch, "missing", lambda: [])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        error = _dashboard_error(capsys, "--port", str(port))
    assert f"cannot serve on 127.0.0.1:{port}" in error and "--port" in error
    bad = tmp_path / "bad.yaml"
    text = load_scenario("ukraine_2022").path.read_text(encoding="utf-8")
    bad.write_text(text.replace("  deadline: 30 ", "  deadline: -4 "), encoding="utf-8")
    assert f"{bad}:19: protocol.deadline: " in _dashboard_error(capsys, str(bad))
    with pytest.raises(SystemExit) as parser_exit:
        main(["dashboard", "--port", "web"])
    assert parser_exit.value.code == 2
    assert "argument --port: not a port number: 'web'" in capsys.readouterr().err


def test_the_rest_of_the_package_does_not_import_solara():
    code = (
        "import sys, negotiation_sim.cli.command, negotiation_sim.plots\n"
        "from negotiation_sim import *\n"
        "import negotiation_sim.dashboard.settings, negotiation_sim.dashboard.launch\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('solara', 'reacton')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_scenario_without_uncertain_values_gets_the_deadline_and_the_noise():
    scenario = load_scenario("textbook_two_party")
    deadline, noise = settings_of(scenario)
    assert deadline.label == "deadline (rounds)" and deadline.default == 10
    assert (noise.default, noise.low, noise.high, noise.uncertain) == (0.05, 0.0, 0.5, False)


def test_an_uploaded_file_loads_and_a_broken_one_is_named_by_its_own_name(ukraine):
    app = pytest.importorskip("negotiation_sim.dashboard.app")  # needs the dashboard extra
    text = ukraine.path.read_text(encoding="utf-8")
    uploaded = app.load_upload("mine.yaml", text)
    assert uploaded.path.name == "mine.yaml" and uploaded.name == ukraine.name
    with pytest.raises(ScenarioError) as raised:
        app.load_upload("../broken.yaml", text.replace("  deadline: 30 ", "  deadline: -4 "))
    assert str(raised.value).startswith("broken.yaml:19: protocol.deadline: ")
