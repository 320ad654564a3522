"""Keep what people type out of the logs (docs/security.md, "What is logged")."""

import logging
import re

# A path followed by its query string: "/cari/?q=rumah+kanak" → "/cari/".
QUERY_STRING = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]*")


def without_query_string(text: str) -> str:
    return QUERY_STRING.sub(r"\1", text)


class WithoutQueryStrings(logging.Filter):
    """Removes query strings from the URLs in a log record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query_string(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_query_string(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                key: without_query_string(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True
