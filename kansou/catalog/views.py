from django.shortcuts import get_object_or_404, render

from kansou.catalog.models import Anime


def anime_list(request):
    return render(request, "catalog/anime_list.html", {"anime": Anime.objects.all()[:50]})


def anime_detail(request, pk: int):
    return render(request, "catalog/anime_detail.html", {"anime": get_object_or_404(Anime, pk=pk)})
