from .views import booklets, spreadsheets

app_name = "publishing"

urlpatterns = [*booklets.urlpatterns, *spreadsheets.urlpatterns]
