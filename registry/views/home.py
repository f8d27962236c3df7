"""The home page: the user's "việc cần làm"."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "registry/home.html", {})
