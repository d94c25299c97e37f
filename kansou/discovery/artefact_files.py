"""An artefact version's files, checked: its manifest, and copies that are whole or absent.

No Django here: a copy or a check runs the same inside a web process, in ``kansou train`` and
in a bare subprocess (the tests kill one mid-copy).

A *manifest* lists every file of a version directory, sorted by path, with its size and
SHA-256::

    {"files": [{"path": "items.npy", "size": 1208, "sha256": "9f86…"}, …]}

and the *manifest checksum* is the SHA-256 of its canonical JSON (sorted keys, no spaces), so
one short string stands for every byte of the version.

:func:`copy_verified` copies the files a manifest lists into a hidden temporary folder next to
the target (``.fetch-<version>-<random>``), hashing each file as it is copied, and renames the
folder to its final name only when every size and checksum matches: a reader of the target
folder sees a whole version or none. A copy killed half-way leaves only a hidden temporary
folder, which readers skip and :func:`leftovers_remove` deletes under the copy lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
TEMPORARY_PREFIX = ".fetch-"
LOCK_FILE = ".fetch.lock"


class ArtefactCopyError(Exception):
    """A version could not be copied whole: a file missing, cut short or changed."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_build(directory: Path) -> dict[str, Any]:
    """Every regular file under ``directory`` (hidden ones left out), sorted by path."""
    files = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files.append(
                {
                    "path": relative.as_posix(),
                    "size": path.stat().st_size,
                    "sha256": file_sha256(path),
                }
            )
    return {"files": files}


def manifest_checksum(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's canonical JSON.

    >>> manifest_checksum({"files": []})[:12]
    '602e35a92eec'
    """
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def manifest_size(manifest: dict[str, Any]) -> int:
    return sum(int(entry["size"]) for entry in manifest["files"])


def _safe_relative(path: str) -> Path:
    """A manifest path as a relative path that stays inside its folder."""
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ArtefactCopyError(f"manifest entry {path!r} is not a path inside the version")
    return relative


def _copy_one(source: Path, target: Path, entry: dict[str, Any]) -> None:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(source, "rb") as reader, open(target, "wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
            writer.flush()
            os.fsync(writer.fileno())
    except OSError as exc:
        raise ArtefactCopyError(f"{source}: {exc.strerror or exc}") from exc
    if size != entry["size"]:
        raise ArtefactCopyError(f"{source}: {size:,} bytes, the manifest says {entry['size']:,}")
    if digest.hexdigest() != entry["sha256"]:
        raise ArtefactCopyError(f"{source}: its SHA-256 is not the manifest's")


def copy_verified(source: Path, target: Path, *, manifest: dict[str, Any], checksum: str) -> Path:
    """Copy the files ``manifest`` lists from ``source`` to the new folder ``target``.

    Rule: ``target`` appears (by one rename) only when the manifest matches ``checksum`` and
    every copied file matches its size and SHA-256; otherwise ``ArtefactCopyError`` and nothing
    but a removed temporary folder. When ``target`` already exists (another process copied the
    same version first), it is kept and this copy is dropped.
    """
    if manifest_checksum(manifest) != checksum:
        raise ArtefactCopyError(f"{source.name}: the manifest does not match its checksum")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(
        tempfile.mkdtemp(prefix=f"{TEMPORARY_PREFIX}{target.name}-", dir=target.parent)
    )
    try:
        for entry in manifest["files"]:
            relative = _safe_relative(entry["path"])
            _copy_one(source / relative, temporary / relative, entry)
        try:
            os.rename(temporary, target)
        except OSError:
            if not target.is_dir():  # not "someone renamed the same version first"
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return target


def leftovers_remove(root: Path) -> list[str]:
    """Delete the temporary folders of copies that never finished (call under :func:`copy_lock`).
    Returns their names."""
    removed = []
    if root.is_dir():
        for path in root.iterdir():
            if path.name.startswith(TEMPORARY_PREFIX) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    return sorted(removed)


@contextmanager
def copy_lock(root: Path, *, wait: bool = False) -> Iterator[bool]:
    """One copier per folder: yields True to the process that holds the lock; to the others,
    False at once (they keep serving what they have), or True once it is theirs with
    ``wait=True``. The lock is an ``flock`` on a file in ``root``, released by the kernel if
    the holder dies."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
