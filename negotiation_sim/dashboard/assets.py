"""The page's front-end files, served from a local cache instead of a CDN.

Solara's server fetches its JavaScript and CSS through a proxy from a CDN, which these
machines (and many analysts' offline laptops) cannot reach. The proxy first looks in its
cache directory, ``<cache>/<package>@<version>/<file>``, so filling that cache once from
the npm registry, which package managers reach, makes the page work offline.

``python -m negotiation_sim.dashboard.assets [DIR]`` fills it (``make`` runs it at set-up),
downloading each package's tarball over HTTPS from the registry (``NPM_CONFIG_REGISTRY``,
as npm reads it, or the public one) and checking it against the registry's SHA-512;
npm itself is not needed. This module does not import solara, so the command can say
what is missing before anything starts.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",  # the page's Vue 2 application (ipyvuetify<2)
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",  # SolaraViz lays its figures out on a grid
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
)
"""What the page asks the proxy for, as ``name@version``, the proxy's cache folder names."""

REGISTRY = "https://registry.npmjs.org"
CACHE_VARIABLE = "SOLARA_ASSETS_PROXY_CACHE_DIR"
FETCH_COMMAND = "python -m negotiation_sim.dashboard.assets"


def cache_directory() -> Path:
    """Where Solara's proxy looks: ``$SOLARA_ASSETS_PROXY_CACHE_DIR``, or its default in
    this environment (``<prefix>/share/solara/cdn``)."""
    return Path(os.environ.get(CACHE_VARIABLE) or Path(sys.prefix, "share", "solara", "cdn"))


def missing(directory: Path | None = None) -> list[str]:
    """The packages not yet in the cache."""
    where = directory or cache_directory()
    return [spec for spec in PACKAGES if not (where / spec / "package.json").is_file()]


def _split(spec: str) -> tuple[str, str]:
    name, _, version = spec.rpartition("@")  # a scoped name starts with "@"
    return name, version


def _registry() -> str:
    return (os.environ.get("NPM_CONFIG_REGISTRY") or REGISTRY).rstrip("/")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return bytes(response.read())


def _tarball(spec: str) -> bytes:
    """The package's tarball, checked against the SHA-512 the registry publishes for it."""
    name, version = _split(spec)
    meta = json.loads(_get(f"{_registry()}/{name.replace('/', '%2F')}/{version}"))
    data = _get(meta["dist"]["tarball"])
    algorithm, _, digest = meta["dist"]["integrity"].partition("-")
    if hashlib.new(algorithm, data).digest() != base64.b64decode(digest):
        raise OSError(f"{spec}: the downloaded tarball does not match the registry's {algorithm}")
    return data


def _unpack(data: bytes, target: Path) -> None:
    """The tarball's ``package/`` folder as ``target``, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".unpack-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(scratch, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(Path(scratch, "package"), target)


def fetch(directory: Path | None = None) -> list[str]:
    """Download the packages the cache lacks into it; returns those downloaded."""
    where = directory or cache_directory()
    todo = missing(where)
    for spec in todo:
        print(f"fetching {spec}", file=sys.stderr)
        _unpack(_tarball(spec), where / spec)
    return todo


def main(argv: Sequence[str] | None = None) -> int:
    """Fill the cache (the directory given, or ``cache_directory()``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]) or len(args) > 1:
        print(f"usage: {FETCH_COMMAND} [DIR]   (default: {cache_directory()})", file=sys.stderr)
        return 0 if args[:1] in (["-h"], ["--help"]) else 2
    where = Path(args[0]) if args else cache_directory()
    try:
        fetched = fetch(where)
    except (OSError, KeyError, ValueError) as error:  # the network, the disk, a bad reply
        print(f"{FETCH_COMMAND}: error: {error}", file=sys.stderr)
        return 1
    print(f"{where}: {'fetched ' + ', '.join(fetched) if fetched else 'complete'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
