"""The moderators' forum pages (Action.MODERATE): the queue of flagged posts with the moderation
log and the blocked people, hiding and restoring a post, blocking its author and lifting a block."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civitas.core.forms import run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status
from civitas.core.tenancy import staff_view

from . import forms, selectors, services
from .models import Post


@staff_view(Action.MODERATE)
def moderation(request, municipality):
    queue = list(selectors.moderation_queue(municipality=municipality)[:100])
    return render(request, "forum/moderation.html", {
        "nav": "manage", "queue": queue, "flags": selectors.open_flags(queue),
        "log": selectors.moderation_log(municipality=municipality),
        "blocked": selectors.blocked_users(municipality=municipality),
    })  # fmt: skip


@staff_view(Action.MODERATE)
def post_moderate(request, municipality, pk, action):
    if action not in ("hide", "restore", "block"):
        raise Http404
    post = get_object_or_404(
        Post.objects.select_related("topic__municipality"), topic__municipality=municipality, pk=pk
    )
    if action == "restore":
        if request.method == "POST":
            services.post_restore(actor=request.user, post=post)
            messages.success(request, _("The post is visible again."))
        return redirect("forum:moderation", municipality.slug)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if action == "hide":
            call = lambda: services.post_hide(actor=request.user, post=post, reason=reason)  # noqa: E731
        else:
            call = lambda: services.user_block(actor=request.user, municipality=municipality, user=post.author,  # noqa: E731
                                               reason=reason)  # fmt: skip
        if run_service(form, call):
            messages.success(request, _("Done."))
            return redirect("forum:moderation", municipality.slug)
    title = _("Hide the post") if action == "hide" else _("Block the author")
    return render(request, "forum/reason_form.html", {"nav": "manage", "form": form, "post": post, "title": title,
                  "submit": title, "public_reason": action == "hide"}, status=form_status(form))  # fmt: skip


@staff_view(Action.MODERATE)
def user_unblock(request, municipality, user_id):
    if request.method == "POST":
        user = get_object_or_404(get_user_model(), pk=user_id)
        services.user_block(actor=request.user, municipality=municipality, user=user, reason="", block=False)
    return redirect("forum:moderation", municipality.slug)
