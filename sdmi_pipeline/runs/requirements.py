"""The installed distributions a build depends on: the closure of the project's own requirements.

The project's requirements are pyproject.toml's `[project] dependencies` (not the `dev` extra:
test and lint tools do not change what a build computes); each one's requirements follow, as the
installed metadata declares them (importlib.metadata), with the extras asked for and the markers
of this interpreter. Installing an unrelated package (`pip install ruff`) changes nothing here.
"""

import tomllib
from importlib.metadata import distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sdmi_pipeline.paths import PROJECT_ROOT

MISSING = "not installed"


def project_requirements() -> list[str]:
    """The requirements of pyproject.toml's `[project] dependencies`."""
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["dependencies"]


def requirement_closure(requirements: list[str] | None = None) -> dict[str, str]:
    """Canonical name → installed version of `requirements` (the project's) and theirs, recursively."""
    installed = {}  # name → (version, requirements); each distribution's metadata parsed once
    for found_distribution in distributions():
        metadata = found_distribution.metadata
        name = canonicalize_name(metadata["Name"])  # the first on sys.path is the one imported
        installed.setdefault(name, (metadata["Version"], metadata.get_all("Requires-Dist") or []))
    wanted = [(Requirement(text), "") for text in requirements or project_requirements()]
    found: dict[str, str] = {}
    done: set[tuple[str, str]] = set()  # (name, extra) whose requirements are already wanted
    while wanted:
        requirement, extra = wanted.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in installed:
            found[name] = MISSING
            continue
        version, requires = installed[name]
        found[name] = version
        for asked in {"", *requirement.extras} - {e for n, e in done if n == name}:
            done.add((name, asked))
            wanted += [(Requirement(text), asked) for text in requires]
    return dict(sorted(found.items()))
