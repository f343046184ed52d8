"""The public forum and the moderators' pages. Thin views over the forum services and selectors."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.core import throttle
from civitas.core.forms import run_service
from civitas.core.permissions import Action, can, require
from civitas.core.tenancy import with_municipality
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan
from civitas.projects.models import Project

from . import forms, selectors, services
from .models import ModerationAction, Post, PostKind, Topic


@with_municipality
def topic_list(request, municipality):
    return render(
        request,
        "forum/topic_list.html",
        {"nav": "forum", "topics": selectors.topic_list(municipality=municipality)[:100]},
    )


@login_required
@with_municipality
def topic_create(request, municipality):
    plan = Plan.objects.filter(
        municipality=municipality, slug=request.GET.get("plan", ""), status__in=PUBLIC_PLAN_STATUSES
    ).first()  # a draft plan is not public: no topic on it
    project = Project.objects.filter(municipality=municipality, slug=request.GET.get("project", "")).first()
    consultation = (
        Consultation.objects.filter(municipality=municipality, slug=request.GET.get("consultation", ""))
        .exclude(status=ConsultationStatus.DRAFT)
        .first()
    )
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}
        try:
            ok = run_service(form, lambda: result.update(topic=services.topic_create(
                actor=request.user, municipality=municipality, title=form.cleaned_data["title"],
                body=form.cleaned_data["body"], plan=plan, project=project, consultation=consultation,
                address=throttle.client_address(request))))  # fmt: skip
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            ok = False
        if ok:
            return redirect("forum:topic", municipality.slug, result["topic"].pk)
    return render(request, "forum/topic_form.html", {"nav": "forum", "form": form, "plan": plan, "project": project,
                   "consultation": consultation},
                  status=400 if form.errors else 200)  # fmt: skip


@with_municipality
def topic_detail(request, municipality, pk):
    topic = get_object_or_404(
        Topic.objects.select_related("plan", "project", "consultation"), municipality=municipality, pk=pk
    )
    form_class = forms.ProjectPostForm if topic.project_id else forms.PostForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            parent = Post.objects.filter(topic=topic, pk=data.get("parent") or 0).first()
            kind = data.get("kind") or PostKind.COMMENT
            if request.POST.get("official") and can(
                request.user, municipality, Action.UPDATE_PROJECT_PROGRESS
            ):
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
            "can_moderate": can(request.user, municipality, Action.MODERATE),
            "can_answer": can(request.user, municipality, Action.UPDATE_PROJECT_PROGRESS) and topic.project_id,
        },
        status=400 if form.errors else 200,
    )  # fmt: skip


def _login_url():
    from django.urls import reverse

    return reverse("accounts:login")


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


@login_required
@with_municipality
def moderation(request, municipality):
    require(request.user, municipality, Action.MODERATE)
    queue = list(selectors.moderation_queue(municipality=municipality)[:100])
    return render(request, "forum/moderation.html", {
        "nav": "manage", "queue": queue, "flags": selectors.open_flags(queue),
        "log": ModerationAction.objects.filter(municipality=municipality).select_related("moderator", "user")[:50],
        "blocked": selectors.blocked_users(municipality=municipality),
    })  # fmt: skip


@login_required
@with_municipality
def post_moderate(request, municipality, pk, action):
    require(request.user, municipality, Action.MODERATE)
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
                  "submit": title, "public_reason": action == "hide"}, status=400 if form.errors else 200)  # fmt: skip


@login_required
@with_municipality
def user_unblock(request, municipality, user_id):
    require(request.user, municipality, Action.MODERATE)
    if request.method == "POST":
        user = get_object_or_404(get_user_model(), pk=user_id)
        services.user_block(actor=request.user, municipality=municipality, user=user, reason="", block=False)
    return redirect("forum:moderation", municipality.slug)
