"""The public forum: the list of topics, a topic with its thread and reply form, starting a topic,
following and flagging. Thin views over the forum's services and selectors; the moderators' pages
are in manage_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core import throttle
from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.forms import run_service
from civitas.core.tenancy import with_municipality

from . import forms, policy, selectors, services
from .models import Post, PostKind, Topic

# What the forum's public pages read: its topics and posts (participation) and the titles of the
# plans and projects a topic is about (planning). Every service that changes either moves its
# version on, so an anonymous visitor's cached page is never stale.
READS = (Content.PLANNING, Content.PARTICIPATION)


@with_municipality
@cached_public_page(reads=READS)
def topic_list(request, municipality):
    return render(
        request,
        "forum/topic_list.html",
        {"nav": "forum", "topics": selectors.topic_list(municipality=municipality)[:100]},
    )


@login_required
@with_municipality
def topic_create(request, municipality):
    subjects = selectors.topic_subjects(
        municipality=municipality, plan=request.GET.get("plan", ""), project=request.GET.get("project", ""),
        consultation=request.GET.get("consultation", ""),
    )  # fmt: skip
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}
        try:
            ok = run_service(form, lambda: result.update(topic=services.topic_create(
                actor=request.user, municipality=municipality, title=form.cleaned_data["title"],
                body=form.cleaned_data["body"], plan=subjects.plan, project=subjects.project,
                consultation=subjects.consultation, address=throttle.client_address(request))))  # fmt: skip
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            ok = False
        if ok:
            return redirect("forum:topic", municipality.slug, result["topic"].pk)
    return render(request, "forum/topic_form.html", {"nav": "forum", "form": form, "plan": subjects.plan,
                   "project": subjects.project, "consultation": subjects.consultation},
                  status=400 if form.errors else 200)  # fmt: skip


@with_municipality
@cached_public_page(reads=READS)
def topic_detail(request, municipality, pk):
    topic = get_object_or_404(
        Topic.objects.select_related("plan", "project", "consultation"), municipality=municipality, pk=pk
    )
    form_class = forms.ProjectPostForm if topic.project_id else forms.PostForm
    form = form_class(request.POST or None, request.FILES or None)
    answers_officially = policy.can_answer_officially(request.user, municipality)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            parent = Post.objects.filter(topic=topic, pk=data.get("parent") or 0).first()
            kind = data.get("kind") or PostKind.COMMENT
            if request.POST.get("official") and answers_officially:
                kind = PostKind.OFFICIAL
            try:
                ok = run_service(form, lambda: services.post_create(
                    actor=request.user, topic=topic, body=data["body"], parent=parent, kind=kind,
                    photo=data.get("photo"), address=throttle.client_address(request)))  # fmt: skip
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                ok = False
            if ok:
                messages.success(request, _("Your post was published."))
                return redirect("forum:topic", municipality.slug, topic.pk)
    return render(
        request,
        "forum/topic_detail.html",
        {
            "nav": "forum", "topic": topic, "thread": selectors.thread(topic), "form": form,
            "following": selectors.is_following(request.user, topic),
            "can_moderate": policy.can_moderate(request.user, municipality),
            "can_answer": answers_officially and topic.project_id,
        },
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@with_municipality
def topic_follow(request, municipality, pk):
    topic = get_object_or_404(Topic, municipality=municipality, pk=pk)
    if request.method == "POST":
        services.topic_follow(actor=request.user, topic=topic, follow=request.POST.get("follow") == "1")
    return redirect("forum:topic", municipality.slug, topic.pk)


@login_required
@with_municipality
def post_flag(request, municipality, pk):
    post = get_object_or_404(Post.objects.select_related("topic"), topic__municipality=municipality, pk=pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.post_flag(actor=request.user, post=post, reason=form.cleaned_data["reason"]),
        ):
            messages.success(request, _("Thank you: the moderators will look at the post."))
            return redirect("forum:topic", municipality.slug, post.topic_id)
    return render(request, "forum/reason_form.html", {"nav": "forum", "form": form, "post": post,
                  "title": _("Flag a post"), "submit": _("Send to the moderators")}, status=400 if form.errors else 200)  # fmt: skip
