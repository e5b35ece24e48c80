"""The wheel carries ontology/, data/, shapes/, queries/ and frames/ and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # builds a wheel with pip


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("llmboom-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_wheel_carries_the_project_folders(unpacked_wheel: Path) -> None:
    resources = unpacked_wheel / "llmboom" / "resources"
    for folder, example in [
        ("ontology", "llmboom.ttl"),
        ("data", "article.ttl"),
        ("data/sources", "article.txt"),
        ("shapes", "provenance.ttl"),
        ("queries", "reporting-chain.rq"),
        ("frames", "organization.jsonld"),
    ]:
        assert (resources / folder / example).is_file(), f"{folder}/{example}"


def test_installed_package_runs_from_any_folder(unpacked_wheel: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMBOOM_")}
    env["PYTHONPATH"] = str(unpacked_wheel)  # ahead of the editable install of the checkout
    result = subprocess.run(
        [sys.executable, "-m", "llmboom", "query", "--name", "reporting-chain", "-F", "csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "https://w3id.org/llmboom/id/zhu-wenjia" in result.stdout
    located = subprocess.run(
        [sys.executable, "-c", "from llmboom.project import Project; print(Project.locate().root)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(located.stdout.strip()) == (unpacked_wheel / "llmboom" / "resources").resolve()
