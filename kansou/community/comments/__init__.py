"""Comments on reviews: ``services`` (post, edit, delete, import, a review's thread), ``markdown``
(a comment's sanitised HTML), ``forms``, ``views`` and ``api``."""
