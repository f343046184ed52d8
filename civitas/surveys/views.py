"""Public survey pages: the list, the questionnaire (questions that depend on an answer appear
as the person answers, through surveys.js; without JavaScript when the form is re-shown, and a
submission is never stored before the person has seen every question that applies to them), the
thank-you page, the results with charts and a cross-tabulation, and the results as CSV. Thin
views over services and selectors."""

from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import throttle
from civitas.core.tenancy import with_municipality

from . import charts, exports, forms, policy, selectors, services
from .models import OnePer, SurveyStatus

# Wrong invitation codes an address may try per hour (guessing codes), and responses it may send
# per hour to a survey without one-response-per-person.
CODE_ATTEMPTS_PER_HOUR = 30
OPEN_RESPONSES_PER_HOUR = 30


def _survey(request, municipality, slug):
    return selectors.survey_get(
        municipality=municipality, slug=slug, include_drafts=policy.can_see_drafts(request.user, municipality)
    )


@with_municipality
def survey_list(request, municipality):
    surveys = list(selectors.survey_list(municipality=municipality))
    return render(
        request,
        "surveys/survey_list.html",
        {
            "nav": "surveys",
            "open": [s for s in surveys if s.is_open()],
            "other": [s for s in surveys if not s.is_open()],
        },
    )


def _refusal(request, survey) -> str | None:
    """Why this visitor cannot answer now (a message, or "sign_in": the page offers to sign in),
    or None."""
    refusal = policy.answer_refusal(request.user, survey, timezone.now())
    if refusal == policy.SIGN_IN:
        return "sign_in"
    if refusal:
        return policy.refusal_message(refusal)
    if selectors.has_answered(survey=survey, user=request.user):
        return _(services.ALREADY_ANSWERED)
    return None


def survey_answer(request, municipality, slug):
    # The hot path: the municipality and the survey in one query (instead of with_municipality's).
    survey = selectors.survey_by_address(municipality_slug=municipality, slug=slug)
    request.municipality = municipality = survey.municipality
    if survey.status == SurveyStatus.DRAFT and not policy.can_see_drafts(request.user, municipality):
        raise Http404("No such survey")
    refusal = _refusal(request, survey)
    context = {"nav": "surveys", "survey": survey, "refusal": refusal}
    if refusal:
        return render(request, "surveys/survey_answer.html", context)
    questionnaire = selectors.questionnaire(survey)
    ask_code = survey.one_response_per == OnePer.CODE
    data = request.POST if request.method == "POST" else None
    form = forms.QuestionnaireForm(questionnaire, data, ask_code=ask_code, code=request.GET.get("code", ""))
    status = 200
    if request.method == "POST" and request.POST.get("action") != "update" and not form.unseen:
        address = throttle.client_address(request)
        if ask_code and throttle.blocked(f"survey-code:{address}", limit=CODE_ATTEMPTS_PER_HOUR):
            form.set_errors(
                {"__all__": [_("Too many wrong invitation codes from your address: try again in an hour.")]}
            )
            status = 429
        elif survey.one_response_per == OnePer.NONE and not throttle.hit(
            f"survey-open:{survey.pk}:{address}", limit=OPEN_RESPONSES_PER_HOUR, window=3600
        ):
            form.set_errors({"__all__": [_("Too many responses from your address: try again in an hour.")]})
            status = 429
        else:
            try:
                services.survey_submit(
                    actor=request.user, survey=survey, answers=form.answers, invitation_code=form.code or None
                )
            except ValidationError as error:
                errors = error.message_dict
                if _("This invitation code is not valid for this survey.") in errors.get(
                    "invitation_code", []
                ):
                    throttle.hit(f"survey-code:{address}", limit=CODE_ATTEMPTS_PER_HOUR, window=3600)
                form.set_errors(errors)
                status = 400
            else:
                response = redirect("surveys:thanks", municipality.slug, survey.slug)
                response.status_code = 303
                return response
    context |= {"form": form, "blocks": form.blocks(), "summary": form.summary()}
    return render(request, "surveys/survey_answer.html", context, status=status)


@with_municipality
def survey_thanks(request, municipality, slug):
    survey = _survey(request, municipality, slug)
    return render(request, "surveys/survey_thanks.html", {"nav": "surveys", "survey": survey})


@with_municipality
def survey_results(request, municipality, slug):
    survey = _survey(request, municipality, slug)
    if not policy.can_see_results(request.user, municipality, survey):
        raise Http404("Results not public")
    results = selectors.survey_results(survey)
    items = []
    for result in results.questions:
        chart = charts.result_chart(result)
        svg = charts.render_bars(chart, dom_id=f"chart-q{result.question.pk}") if chart else None
        items.append((result, svg))
    crosstab_questions = [q for q in results.questionnaire.questions if q.kind in selectors.CROSSTAB_KINDS]
    crosstab_form = crosstab = None
    if len(crosstab_questions) >= 2:
        params = request.GET if "row" in request.GET else None
        crosstab_form = forms.CrosstabForm(
            params, questions=crosstab_questions,
            initial={"row": crosstab_questions[0].pk, "column": crosstab_questions[1].pk},
        )  # fmt: skip
        if params is not None and crosstab_form.is_valid():
            by_pk = {q.pk: q for q in crosstab_questions}
            crosstab = selectors.crosstab(
                survey, by_pk[crosstab_form.cleaned_data["row"]], by_pk[crosstab_form.cleaned_data["column"]]
            )
    return render(
        request,
        "surveys/survey_results.html",
        {
            "nav": "surveys", "survey": survey, "results": results, "items": items,
            "crosstab_form": crosstab_form, "crosstab": crosstab,
            "is_staff": policy.can_manage(request.user, municipality),
        },
    )  # fmt: skip


@with_municipality
def results_csv(request, municipality, slug):
    survey = _survey(request, municipality, slug)
    if not policy.can_see_results(request.user, municipality, survey):
        raise Http404("Results not public")
    response = StreamingHttpResponse(exports.results_csv_lines(survey), content_type=exports.CSV)
    response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-{survey.slug}-results.csv"'
    return response
