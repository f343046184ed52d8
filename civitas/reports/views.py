"""The public pages of annual reports: the approved reports, and a page per report (the document
itself, as its DOCX and PDF say it, with the published files to download)."""

from django.shortcuts import render
from django.utils.safestring import mark_safe

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality

from . import selectors


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
    files = selectors.published_files(report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "nav": "reports",
            "report": report,
            # The page as it was approved: reports.render.render_html's markup, every text escaped.
            "document_html": mark_safe(report.published_html),  # noqa: S308
            "downloads": [
                files[key]
                for key in (("bg", "docx"), ("bg", "pdf"), ("en", "docx"), ("en", "pdf"))
                if key in files
            ],
        },
    )
