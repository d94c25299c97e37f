from __future__ import annotations

from dataclasses import dataclass

from kansou.recommend.features import build_item_features, item_tokens


@dataclass
class Record:
    tags: tuple = ("Drama",)
    studios: tuple = ()
    kind: str = "TV"
    year: int | None = 2016
    episodes: int = 12
    duration_seconds: int | None = None
    synopsis: str = "A quiet painter finds courage."


def test_records_and_dicts_give_the_same_tokens():
    as_dict = {"tags": ["Drama"], "kind": "TV", "year": 2016, "episodes": 12}
    assert item_tokens(Record()) == item_tokens(as_dict)


def test_text_tokens_are_optional():
    assert not any(t.startswith("word:") for t in item_tokens(Record()))
    assert "word:painter" in item_tokens(Record(), text=True)


def test_an_item_without_data_has_an_empty_row():
    features = build_item_features([{"tags": ["a"]}, {"tags": ["a"]}, {}])
    assert features.matrix.shape[0] == 3
    assert features.raw[2].nnz == 0
    assert features.of(0) == ["tag:a"]


def test_features_only_one_item_has_are_dropped_except_names_reasons_quote():
    features = build_item_features(
        [{"tags": ["x"], "kind": "OVA"}, {"tags": ["y"], "kind": "TV"}], min_items=2
    )
    assert set(features.names) == {"tag:x", "tag:y"}


def test_an_award_says_how_a_title_was_received_not_what_it_is():
    import numpy as np

    items = [
        {"tags": ["Award Winning", "Family"], "kind": "MOVIE"},  # a prize-winning family film
        {"tags": ["Award Winning", "Mecha"], "kind": "MOVIE"},  # a prize-winning mecha film
        {"tags": ["Family", "Comedy"], "kind": "MOVIE"},
    ]
    features = build_item_features(items)
    assert "tag:award winning" not in features.names.tolist()
    assert "quality:award winning" in features.names.tolist()  # the map may still read it
    similarity = (features.matrix @ features.matrix.T).toarray()
    # Weighted content: the two prize winners share nothing but their type...
    assert similarity[0, 1] < similarity[0, 2]
    # ...and nothing at all once the shared type is left out.
    tags = np.array([n.startswith("tag:") for n in features.names])
    only_tags = features.matrix[:, np.flatnonzero(tags)]
    assert (only_tags[0] @ only_tags[1].T).sum() == 0
