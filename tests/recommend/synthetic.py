"""Block-diagonal data with a known right answer, shared by the recommender tests.

``BLOCKS`` groups of users each interact only with their own group's items: user ``u`` is in
block ``u // USERS_PER_BLOCK`` and rates a seeded random 4 of that block's ``WARM_PER_BLOCK``
items (every warm item is rated by someone). Each block
also has one *cold* item (nobody rated it) with the block's tags, so content models can still
place it. Every item carries tag ``block<b>`` plus a per-item tag.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.features import build_item_features

BLOCKS = 3
USERS_PER_BLOCK = 20
WARM_PER_BLOCK = 8
ITEMS_PER_BLOCK = WARM_PER_BLOCK + 1  # the last item of each block is cold
SEEN_PER_USER = 4


def block_of_item(item_index: int) -> int:
    return item_index // ITEMS_PER_BLOCK


def block_items(block: int) -> np.ndarray:
    return np.arange(block * ITEMS_PER_BLOCK, (block + 1) * ITEMS_PER_BLOCK)


def cold_items() -> np.ndarray:
    return np.array([block_items(b)[-1] for b in range(BLOCKS)])


def user_items(seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for user in range(BLOCKS * USERS_PER_BLOCK):
        block = user // USERS_PER_BLOCK
        seen = rng.choice(WARM_PER_BLOCK, size=SEEN_PER_USER, replace=False)
        seen = block * ITEMS_PER_BLOCK + np.sort(seen)
        rows += [user] * SEEN_PER_USER
        cols += seen.tolist()
    ratings = rng.integers(7, 11, size=len(rows)).astype(np.float32)
    n_items = BLOCKS * ITEMS_PER_BLOCK
    assert len(set(cols)) == BLOCKS * WARM_PER_BLOCK, "every warm item must be rated"
    return sp.csr_matrix((ratings, (rows, cols)), shape=(BLOCKS * USERS_PER_BLOCK, n_items))


def item_records() -> list[dict]:
    records = []
    for item in range(BLOCKS * ITEMS_PER_BLOCK):
        block = block_of_item(item)
        records.append(
            {
                "tags": [f"block{block}", f"theme{block}", f"item{item}"],
                "studios": [f"studio{block}"] if item % 2 == 0 else [],
                "kind": "TV",
            }
        )
    return records


def item_features():
    return build_item_features(item_records(), min_items=1)
