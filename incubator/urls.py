from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from .health import healthz
from .schema import SchemaView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One sign-in page for everyone: it asks for the second factor (the admin's own would not).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("incubator.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("accounts.urls")),
    path("startups/", include("startups.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("expos/", include("expos.urls")),
    path("letters/", include("applications.urls")),
    path("notifications/", include("notifications.urls")),
    path("rooms/", include("spaces.booking_urls")),
    path("spaces/allocation/", include("spaces.urls_allocation")),
    path("spaces/sites/", include("spaces.urls_sites")),
    path("my-space/", include("spaces.urls_my_space")),
    path("expos/", include("expos.urls_programme")),
    path("", include("incubator.web_urls")),
]

if settings.BENCH_PROBE:
    urlpatterns.insert(0, path("bench-probe/", include("bench.probe.urls")))
