from django.urls import path

from kansou.reviews import feeds, listing, views
from kansou.reviews.images.views import review_image_upload

app_name = "reviews"
urlpatterns = [
    path("reviews/<slug:slug>/", views.review_detail, name="review-detail"),
    path("reviews/<slug:slug>/images/", review_image_upload, name="image-upload"),
    path("", listing.home, name="home"),
    path("feed/", feeds.LatestReviewsFeed(), name="feed"),
    path("atom/", feeds.LatestReviewsAtomFeed(), name="atom"),
    path("labels/<str:slug>/", listing.label_detail, name="label"),
    path("labels/<str:slug>/feed/", feeds.LabelReviewsFeed(), name="label-feed"),
    path("labels/<str:slug>/atom/", feeds.LabelReviewsAtomFeed(), name="label-atom"),
    path("authors/<str:username>/", listing.author_detail, name="author"),
    path("archive/", listing.archive_index, name="archive"),
    path("archive/<int:year>/<int:month>/", listing.archive_month, name="archive-month"),
]
