"""The public pages of annual reports: the approved reports, and a page per report (the document
itself, as its DOCX and PDF say it, with the published files to download)."""

from django.shortcuts import render

from civitas.core.cache import cached_public_page
from civitas.core.i18n import active_content_language
from civitas.core.tenancy import with_municipality

from . import compose, selectors
from . import render as report_render


@with_municipality
@cached_public_page
def report_list(request, municipality):
    return render(
        request,
        "reports/report_list.html",
        {"nav": "reports", "reports": selectors.public_report_list(municipality=municipality)},
    )


@with_municipality
@cached_public_page
def report_detail(request, municipality, pk):
    report = selectors.report_get(municipality=municipality, pk=pk)
    language = active_content_language()
    document = compose.annual_report_document(selectors.annual_report_data(report, language))
    files = selectors.published_files(report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "nav": "reports",
            "report": report,
            "document_html": report_render.render_html(document),  # escaped markup (SafeString)
            "downloads": [
                files[key]
                for key in (("bg", "docx"), ("bg", "pdf"), ("en", "docx"), ("en", "pdf"))
                if key in files
            ],
        },
    )
