from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from direktori.core import views as core_views
from direktori.core.api import api as v1_api
from direktori.hsds.api import api as hsds_api

admin.site.site_header = "Direktori CBO"
admin.site.site_title = "Direktori CBO"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/hsds/", hsds_api.urls),
    path("api/v1/", v1_api.urls),
]
urlpatterns += i18n_patterns(
    path("akaun/audit/", include("direktori.audit.urls")),
    path("akaun/aktiviti/", include("direktori.outreach.urls")),
    path("akaun/latihan/", include("direktori.training.urls")),
    path("akaun/rujukan/", include("direktori.referrals.urls")),
    path("", include("direktori.publishing.urls")),
    path("latihan/", include("direktori.training.check_urls")),
    path("", include("direktori.stats.urls")),
    path("akaun/", include("direktori.members.urls")),
    path("akaun/", include("direktori.verification.urls")),
    path("akaun/", include("direktori.accounts.urls")),
    path("", include("direktori.core.urls")),
    path("", include("direktori.directory.urls")),
    prefix_default_language=False,
)

handler404 = "direktori.core.views.page_not_found"
handler500 = "direktori.core.views.server_error"
