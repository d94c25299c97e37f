from __future__ import annotations

import pytest

from tests.recommend import synthetic


@pytest.fixture(scope="class")
def data():
    return synthetic.user_items(), synthetic.item_features()


@pytest.fixture(scope="class")
def model(request, data):
    user_items, features = data
    return request.cls().make().fit(user_items, features)
