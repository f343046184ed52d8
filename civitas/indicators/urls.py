"""Staff pages for indicators and measurements, under /<municipality>/manage/indicators/."""

from . import data_views, views

app_name = "indicators"

# Measurement files (import template, upload, exports): see data_views.py; the monitoring pages
# (list, passports, values, queue, calendar, dashboard): see views.py.
urlpatterns = [*data_views.staff_urls, *views.staff_urls]
