"""Publishing a trained version once, for every node: the shared store and the database row.

``KANSOU_MODELS_STORE`` names a folder every node mounts (NFS, a cloud file system, or one
machine's disk for ``scripts/cluster``). :func:`artefact_publish`, called by ``kansou train``
on any machine that has the setting, the database and the shared cache:

1. builds the version's manifest (every file's size and SHA-256) and its checksum;
2. copies the version into the store, checked, under its final name by one rename
   (:func:`kansou.discovery.artefact_files.copy_verified`);
3. in one transaction, records a :class:`~kansou.discovery.model_versions.ModelVersion` row
   (manifest, checksum, sizes, what was trained, ``user@host``) and makes it the current one;
4. after the commit, writes the current version to the shared cache, where every node's next
   request reads it (:func:`published_current`), and prunes old versions from the store.

Without the setting (one machine) step 2 is skipped: the row is still recorded, and serving
goes by the models folder's own ``current`` file, as it always has.

A node that sees a version it does not hold copies it from the store into its own models
folder with :func:`store_fetch` — checked file by file against the row's manifest, renamed
into place only when whole — and only then serves it (:func:`kansou.discovery.artefact
.artefact_current`).
"""

from __future__ import annotations

import getpass
import logging
import shutil
import socket
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction

from kansou.discovery.artefact_files import (
    ArtefactCopyError,
    copy_lock,
    copy_verified,
    leftovers_remove,
    manifest_build,
    manifest_checksum,
    manifest_size,
)
from kansou.discovery.model_versions import ModelVersion

CURRENT_KEY = "kansou:models:current"
# How long a node trusts the cached pointer before asking the database again: a publish
# writes it at once, so this only bounds a lost cache write (or an emptied cache).
RECHECK_SECONDS = 30
STORE_KEEP_VERSIONS = 3
CONCURRENT_PUBLISH = (
    "another training made its version current at the same moment; run kansou train again"
)
log = logging.getLogger(__name__)


class Published(NamedTuple):
    version: str
    checksum: str


def store_dir() -> Path | None:
    configured = getattr(settings, "KANSOU_MODELS_STORE", "")
    return Path(configured).expanduser() if configured else None


def _cache():
    return caches[settings.KANSOU_PAGE_CACHE]


def trained_by() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = "?"
    return f"{user}@{socket.gethostname()}"


def artefact_publish(*, directory: Path, info: dict) -> ModelVersion:
    """Record ``directory`` (a complete version folder) as the current version, copying it to
    the shared store first when there is one.

    Rule: the row becomes current only after the store holds the whole version, checked; a
    failed copy raises ``ArtefactCopyError`` (or ``OSError``) and changes nothing.
    """
    manifest = manifest_build(directory)
    checksum = manifest_checksum(manifest)
    store = store_dir()
    if store is not None:
        with copy_lock(store, wait=True):  # no prune of the store meanwhile
            copy_verified(directory, store / directory.name, manifest=manifest, checksum=checksum)
    try:
        with transaction.atomic():
            ModelVersion.objects.filter(is_current=True).update(is_current=False)
            row = ModelVersion.objects.create(
                version=directory.name,
                checksum=checksum,
                manifest=manifest,
                size_bytes=manifest_size(manifest),
                info=info,
                trained_by=trained_by(),
                in_store=store is not None,
                is_current=True,
            )
            transaction.on_commit(lambda: _announce(row))
    except IntegrityError as exc:
        raise ArtefactCopyError(CONCURRENT_PUBLISH) from exc
    if store is not None:
        store_prune(store)
    return row


def _announce(row: ModelVersion) -> None:
    value = [row.version, row.checksum] if row.in_store else []  # as published_current reads
    _cache().set(CURRENT_KEY, value, RECHECK_SECONDS)


def published_current() -> Published | None:
    """The current version by the database: from the shared cache (one read), else one indexed
    query, remembered in the cache for ``RECHECK_SECONDS``. None when nothing is published or
    the current version's files are not in the store."""
    cache = _cache()
    value = cache.get(CURRENT_KEY)
    if value is None:
        row = (
            ModelVersion.objects.filter(is_current=True, in_store=True)
            .values_list("version", "checksum")
            .first()
        )
        value = list(row) if row else []
        cache.set(CURRENT_KEY, value, RECHECK_SECONDS)
    return Published(*value) if value else None


def store_fetch(*, version: str, checksum: str, local_root: Path) -> Path | None:
    """``local_root/version``, copied from the store first when missing.

    Returns None, at once, while another process of this machine copies (it holds the copy
    lock); raises ``ArtefactCopyError`` when the store's copy is missing, cut short or changed
    (the row's manifest decides). Unfinished copies left by a killed process are removed first.
    """
    target = local_root / version
    if target.is_dir():
        return target
    store = store_dir()
    row = (
        ModelVersion.objects.filter(version=version, in_store=True)
        .values("manifest", "checksum")
        .first()
    )
    if store is None or row is None:
        raise ArtefactCopyError(f"version {version} is not in the models store")
    if row["checksum"] != checksum:
        raise ArtefactCopyError(f"version {version}: the database holds another checksum")
    with copy_lock(local_root) as mine:
        if not mine:
            return None
        for name in leftovers_remove(local_root):
            log.warning("removed %s, an unfinished copy of a model version", name)
        if not target.is_dir():
            copy_verified(store / version, target, manifest=row["manifest"], checksum=checksum)
    log.info("model version %s copied from %s", version, store)
    return target


def store_prune(store: Path, keep: int = STORE_KEEP_VERSIONS) -> list[str]:
    """Delete all but the newest ``keep`` versions (and never the current one) from the store;
    their rows stay, marked as no longer in the store. Returns the deleted names."""
    current = ModelVersion.objects.filter(is_current=True).values_list("version", flat=True)
    current_names = set(current)
    with copy_lock(store, wait=True):
        leftovers_remove(store)
        versions = sorted(p.name for p in store.iterdir() if p.is_dir() and p.name[0] != ".")
        old = [name for name in versions[:-keep] if name not in current_names]
        for name in old:
            shutil.rmtree(store / name, ignore_errors=True)
    ModelVersion.objects.filter(version__in=old).update(in_store=False)
    return old
