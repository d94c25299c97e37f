"""A version's files, checked (kansou/discovery/artefact_files.py): the manifest, copies that are
whole or absent, and what a copy killed half-way leaves behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kansou.discovery.artefact_files import (
    TEMPORARY_PREFIX,
    ArtefactCopyError,
    copy_lock,
    copy_verified,
    leftovers_remove,
    manifest_build,
    manifest_checksum,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def version(tmp_path) -> Path:
    """A small version folder: two arrays, a subfolder and a hidden leftover."""
    folder = tmp_path / "source" / "20260101T000000000000Z"
    (folder / "model").mkdir(parents=True)
    (folder / "items.npy").write_bytes(b"items" * 1000)
    (folder / "artefact.json").write_text('{"format": "kansou-artefact"}')
    (folder / "model" / "weights.npy").write_bytes(bytes(range(256)) * 64)
    (folder / ".current.1.tmp").write_text("not part of the version")
    return folder


def _copy(version: Path, target: Path) -> Path:
    manifest = manifest_build(version)
    return copy_verified(version, target, manifest=manifest, checksum=manifest_checksum(manifest))


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMPORARY_PREFIX))


def test_the_manifest_lists_every_file_with_its_size_and_sha256(version):
    manifest = manifest_build(version)
    assert [entry["path"] for entry in manifest["files"]] == [
        "artefact.json",
        "items.npy",
        "model/weights.npy",
    ]
    items = manifest["files"][1]
    assert items["size"] == 5000 and len(items["sha256"]) == 64


def test_the_manifest_checksum_changes_with_any_byte(version):
    before = manifest_checksum(manifest_build(version))
    (version / "items.npy").write_bytes(b"itemz" * 1000)
    assert manifest_checksum(manifest_build(version)) != before


def test_a_checked_copy_holds_every_file_and_appears_by_one_rename(version, tmp_path):
    target = _copy(version, tmp_path / "node" / version.name)
    assert manifest_build(target) == manifest_build(version)
    assert not (target / ".current.1.tmp").exists()
    assert _hidden(target.parent) == []


def test_a_truncated_file_fails_the_copy_and_leaves_no_folder(version, tmp_path):
    manifest = manifest_build(version)
    with open(version / "model" / "weights.npy", "r+b") as handle:
        handle.truncate(100)
    target = tmp_path / "node" / version.name
    with pytest.raises(ArtefactCopyError, match="weights.npy: 100 bytes, the manifest says"):
        copy_verified(version, target, manifest=manifest, checksum=manifest_checksum(manifest))
    assert not target.exists() and _hidden(target.parent) == []


def test_a_changed_file_of_the_same_size_fails_the_copy(version, tmp_path):
    manifest = manifest_build(version)
    (version / "items.npy").write_bytes(b"ITEMS" * 1000)
    target = tmp_path / "node" / version.name
    with pytest.raises(ArtefactCopyError, match="items.npy: its SHA-256 is not the manifest's"):
        copy_verified(version, target, manifest=manifest, checksum=manifest_checksum(manifest))
    assert not target.exists()


def test_a_missing_file_fails_the_copy(version, tmp_path):
    manifest = manifest_build(version)
    (version / "items.npy").unlink()
    with pytest.raises(ArtefactCopyError, match="items.npy"):
        copy_verified(
            version, tmp_path / "t", manifest=manifest, checksum=manifest_checksum(manifest)
        )
    assert not (tmp_path / "t").exists()


def test_a_manifest_that_does_not_match_its_checksum_is_refused(version, tmp_path):
    manifest = manifest_build(version)
    checksum = manifest_checksum(manifest)
    manifest["files"].pop()
    with pytest.raises(ArtefactCopyError, match="does not match its checksum"):
        copy_verified(version, tmp_path / "t", manifest=manifest, checksum=checksum)


def test_a_manifest_path_outside_the_version_is_refused(version, tmp_path):
    manifest = {"files": [{"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64}]}
    with pytest.raises(ArtefactCopyError, match="not a path inside the version"):
        copy_verified(
            version, tmp_path / "t", manifest=manifest, checksum=manifest_checksum(manifest)
        )


def test_a_version_another_process_copied_first_is_kept(version, tmp_path):
    target = _copy(version, tmp_path / "node" / version.name)
    marker = target / "items.npy"
    inode = marker.stat().st_ino
    _copy(version, target)
    assert marker.stat().st_ino == inode and _hidden(target.parent) == []


def test_a_copy_killed_half_way_leaves_only_a_hidden_folder_that_is_cleaned(tmp_path):
    """A real process, killed with SIGKILL while it waits on the second file (a pipe nobody
    writes): the first file is copied, the version's folder never appears."""
    source = tmp_path / "store" / "v1"
    source.mkdir(parents=True)
    (source / "a.npy").write_bytes(b"a" * 100_000)
    os.mkfifo(source / "b.npy")
    first = manifest_build(source)["files"][0]  # the pipe is no regular file: not listed
    manifest = {"files": [first, {"path": "b.npy", "size": 1, "sha256": "0" * 64}]}
    node = tmp_path / "node"
    code = (
        "import json, sys; from pathlib import Path;"
        "from kansou.discovery.artefact_files import copy_verified;"
        "m = json.loads(sys.argv[3]);"
        "copy_verified(Path(sys.argv[1]), Path(sys.argv[2]), manifest=m['manifest'],"
        " checksum=m['checksum'])"
    )
    payload = json.dumps({"manifest": manifest, "checksum": manifest_checksum(manifest)})
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(source), str(node / "v1"), payload], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            copied = list(node.glob(f"{TEMPORARY_PREFIX}v1-*/a.npy"))
            if copied and copied[0].stat().st_size == 100_000:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the copy ended instead of waiting on the pipe"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert not (node / "v1").exists()
    (leftover,) = _hidden(node)
    with copy_lock(node) as mine:
        assert mine
        assert leftovers_remove(node) == [leftover]
    assert _hidden(node) == []


def test_only_one_copier_holds_the_lock_and_the_other_does_not_wait(tmp_path):
    with copy_lock(tmp_path) as first:
        with copy_lock(tmp_path) as second:
            assert (first, second) == (True, False)
    with copy_lock(tmp_path) as again:
        assert again
