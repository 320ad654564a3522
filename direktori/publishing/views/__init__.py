"""Pages of the publishing app: the district booklet (`booklets`) and the staff spreadsheets
(`spreadsheets`). Each module keeps its own `urlpatterns`; `publishing/urls.py` joins them."""
