"""The home page: the user's "việc cần làm", one section per role held, with counts at the top."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry.inbox import inbox_for


@login_required
@require_GET
def home(request):
    inbox = inbox_for(request.user)
    return render(request, "registry/home.html", {"inbox": inbox})
