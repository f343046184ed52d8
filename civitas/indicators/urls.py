"""Staff pages for indicators and measurements, under /<municipality>/manage/indicators/."""

from django.urls import path  # noqa: F401 - patterns are added by the views as they land

app_name = "indicators"

urlpatterns: list = []

# Measurement files (import template, upload, exports): see data_views.py.
from . import data_views  # noqa: E402

urlpatterns += data_views.staff_urls
