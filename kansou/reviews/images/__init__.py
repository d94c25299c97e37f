"""Images in reviews: uploads by a review's authors and images brought in by the blog importers.

- ``names``: the storage names of an image and its renditions, and the ``srcset`` the Markdown
  renderer gives an image of ours (pure: no Django, so ``reviews.markdown`` can use it);
- ``models``: ``ReviewImage`` (alt text required), registered with the ``reviews`` app;
- ``services``: ``review_image_add`` (check with Pillow, resize, store, record) and
  ``review_image_fetch`` (the same for an image on an old blog);
- ``forms`` and ``views``: the upload endpoint (JSON for scripts, a page without JavaScript) and
  the partial ``reviews/images/_upload.html`` that writing pages include.
"""
