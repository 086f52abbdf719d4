"""The logging module's records in AWS's JSON log format (LoggingConfig.LogFormat = JSON), as AWS's
Python runtime writes them: timestamp, level, message, logger, requestId, the exception's
errorType / errorMessage / stackTrace and location when there is one, and the record's `extra`
fields. Imported only by JSON functions: json is not paid for on a Text function's cold start."""

import json
import logging
import traceback
from datetime import datetime, timezone

# LogRecord's own attributes (and the platform's): everything else on a record came from `extra`.
_RECORD_FIELDS = frozenset(
    (
        "name msg args levelname levelno pathname filename module exc_info exc_text stack_info lineno "
        "funcName created msecs relativeCreated thread threadName processName process aws_request_id"
    ).split()
)

_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def level_name(levelno):
    """AWS's level for a record: custom levels fall to the standard one below (15 -> DEBUG)."""
    return logging.getLevelName(min(50, max(0, levelno)) // 10 * 10)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        exc = record.exc_info
        result = {
            "timestamp": datetime.fromtimestamp(record.created, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "level": level_name(record.levelno),
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc else None,
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and key not in result:
                result[key] = value
        return _encode({k: v for k, v in result.items() if v is not None})


def error_record(result):
    """The JSON line AWS writes for an invocation or init error (the timestamp has no fraction, as AWS's)."""
    import time

    return _encode({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR", **result})
