# The browser tests' fixtures (Debian's chromium, the live server with the production static
# files, the record of console errors) for test_browser.py.
from tests.browser.conftest import (  # noqa: F401
    browser,
    context,
    live_server,
    page,
    playwright,
    problems,
)
