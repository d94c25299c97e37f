"""Models on disk: a directory of ``.npy`` arrays plus ``manifest.json``.

Layout (format version 1)::

    model/
      manifest.json      {"format": "kansou-recommender", "format_version": 1, "model": "ease",
                          "config": {...}, "arrays": {"B": {"kind": "dense"}, ...},
                          "children": {"collaborative": "collaborative"}}
      B.npy              one .npy per dense array, loadable with np.load(mmap_mode="r")
      F.data.npy F.indices.npy F.indptr.npy   a CSR array as its three parts (+ shape)
      collaborative/     a nested model (hybrids), same layout

Nothing is pickled: arrays are written and read with ``allow_pickle=False``. The directory is
written beside the target and renamed into place, so a reader never sees half a model.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

FORMAT = "kansou-recommender"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class ModelFormatError(Exception):
    """The directory is not a model this version can read."""


def save_model(model, path: str | Path) -> Path:
    """Write ``model`` to directory ``path`` (replaced if present); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        _write(model, work)
        if path.exists():
            old = path.with_name(f".{path.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
            work.rename(path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return path


def _write(model, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    config, arrays = model._state()
    children = {k: v for k, v in arrays.items() if hasattr(v, "_state")}
    entries: dict[str, dict] = {}
    for key, value in arrays.items():
        if key in children:
            _write(value, directory / key)
        elif sp.issparse(value):
            csr = sp.csr_matrix(value)
            for part in ("data", "indices", "indptr"):
                np.save(directory / f"{key}.{part}.npy", getattr(csr, part), allow_pickle=False)
            entries[key] = {"kind": "csr", "shape": list(csr.shape)}
        else:
            np.save(directory / f"{key}.npy", np.asarray(value), allow_pickle=False)
            entries[key] = {"kind": "dense"}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": type(model).name,  # the class, even for a labelled instance
        "config": config,
        "arrays": entries,
        "children": {key: key for key in children},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def read_manifest(path: str | Path) -> dict:
    """The manifest of a model directory, checked for format and version."""
    file = Path(path) / MANIFEST
    try:
        manifest = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"{file}: cannot read the model manifest ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise ModelFormatError(f"{file}: not a Kansou recommender model")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"{file}: format version {manifest.get('format_version')}, this Kansou reads "
            f"version {FORMAT_VERSION}; retrain the model"
        )
    return manifest


def load_model(path: str | Path, mmap: bool = True):
    """Rebuild the model saved at ``path``; dense arrays are memory-mapped read-only if ``mmap``."""
    from kansou.recommend.registry import MODELS

    path = Path(path)
    manifest = read_manifest(path)
    if manifest["model"] not in MODELS:
        raise ModelFormatError(f"{path}: unknown model {manifest['model']!r}")
    arrays: dict[str, Any] = {}
    for key, entry in manifest["arrays"].items():
        arrays[key] = _read_array(path, key, entry, mmap)
    for key, sub in manifest["children"].items():
        arrays[key] = load_model(path / sub, mmap=mmap)
    return MODELS[manifest["model"]]._from_state(manifest["config"], arrays)


def _read_array(path: Path, key: str, entry: dict, mmap: bool):
    mode = "r" if mmap else None
    if entry["kind"] == "csr":
        parts = [
            np.load(path / f"{key}.{p}.npy", mmap_mode=mode, allow_pickle=False)
            for p in ("data", "indices", "indptr")
        ]
        return sp.csr_matrix(tuple(parts), shape=tuple(entry["shape"]))
    return np.load(path / f"{key}.npy", mmap_mode=mode, allow_pickle=False)
