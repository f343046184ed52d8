from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from civitas.accounts import signin
from civitas.consultations import urls as consultation_urls
from civitas.core import second_factor
from civitas.core import views as core_views
from civitas.council import urls as council_urls
from civitas.evaluations import urls as evaluation_urls
from civitas.indicators import urls as indicator_urls
from civitas.manage import urls as manage_urls
from civitas.opendata import urls as opendata_urls
from civitas.portal import media
from civitas.publicity import urls as publicity_urls
from civitas.reports import urls as report_urls
from civitas.surveys import urls as survey_urls


def superuser_only(request):
    """Active superusers whose session passed the second factor."""
    user = request.user
    return user.is_active and user.is_superuser and second_factor.passed(user)


# Django's admin is for platform superusers; municipality staff work in /<municipality>/manage/.
# Its sign-in is Civitas's own (throttled, with the second factor).
admin.site.has_permission = superuser_only  # type: ignore[method-assign]  # the admin's hook
admin.site.login = signin.admin_login  # type: ignore[method-assign]  # the admin's hook
admin.site.site_header = "Civitas"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("civitas.opendata.urls")),  # the API, downloads, catalogue, feeds
    path("media/<path:path>", media.media, name="media"),  # each file only to those who may see it
]

urlpatterns += i18n_patterns(
    path("accounts/", include("civitas.accounts.urls")),
    path("manage/", include(manage_urls.platform_patterns)),  # "manage" names no municipality
    path("<slug:municipality>/manage/indicators/", include(indicator_urls.staff_patterns)),
    path("<slug:municipality>/manage/surveys/", include(survey_urls.staff_patterns)),
    path("<slug:municipality>/surveys/", include(survey_urls.public_patterns)),
    path("<slug:municipality>/manage/consultations/", include(consultation_urls.staff_patterns)),
    path("<slug:municipality>/consultations/", include(consultation_urls.public_patterns)),
    path("<slug:municipality>/manage/decisions/", include(council_urls.staff_patterns)),
    path("<slug:municipality>/decisions/", include(council_urls.public_patterns)),
    path("<slug:municipality>/manage/publicity/", include(publicity_urls.staff_patterns)),
    path("<slug:municipality>/publicity/", include(publicity_urls.public_patterns)),
    path("<slug:municipality>/manage/evaluations/", include(evaluation_urls.staff_patterns)),
    path("<slug:municipality>/evaluations/", include(evaluation_urls.public_patterns)),
    path("<slug:municipality>/manage/reports/", include(report_urls.staff_patterns)),
    path("<slug:municipality>/reports/", include(report_urls.public_patterns)),
    path("", include(opendata_urls.page_patterns)),  # the open-data pages
    path("", include("civitas.forum.urls")),
    path("<slug:municipality>/manage/", include("civitas.manage.urls")),
    path("", include("civitas.portal.urls")),
    prefix_default_language=False,
)

# Error pages in the site's layout and the visitor's language (core.views).
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
