"""The writing desk at ``/write/``: the author's own place to write reviews (the admin stays
for staff).

One page per review: the Markdown fields beside a live preview rendered by the public page's own
pipeline (``markdown.render`` and ``reviews/_article.html``), autosave of drafts with a check
that no other tab saved in between, catalog pickers, "suggest who should watch", scheduling and
publishing, and revisions with a diff and restore. Without JavaScript it is an ordinary form.

It lives in the reviews app (it writes reviews and may import only catalog and reviews);
suggestions from the recommender come through ``registry.AUDIENCE_SUGGESTERS``, which
``discovery`` fills from its ``AppConfig.ready`` as it does for the admin's actions.

Modules: ``registry`` (extension points), ``forms`` (the page's form and its rows), ``services``
(create, save with the version check, publish), ``revisions`` (snapshots, diff, restore),
``preview`` (unsaved text rendered as the review page), ``views`` and ``urls``.
"""
