"""Stagecraft's Python runtime: the process that runs inside an execution environment for the
python3.* runtimes. Standard library only (it is mounted alone at /var/runtime).

It loads the handler as AWS's Python runtime interface client does (`module.function`, where the
module may be a path like `dir/module`), runs the next -> invoke -> response/error loop and reports
errors in AWS's shapes. Transport: the platform's private channel when _STAGECRAFT_IN_FD and
_STAGECRAFT_OUT_FD are set (frames `TYPE LENGTH META-JSON\\n BODY`, see src/runtime/channel.ts),
else the HTTP Runtime API at AWS_LAMBDA_RUNTIME_API. Log records from the `logging` module and
error reports go as 'L' frames when _STAGECRAFT_OUT_FD is set, else to stdout; with the full channel,
sys.stdout and sys.stderr write 'O' frames, so the platform may send invocations ahead.
"""

import importlib
import json
import logging
import os
import sys
import time

from stagecraft_channel import IN_FD, OUT_FD, ChannelClient, Invocation, route_stdio_through_channel, write_frame as _write_frame

# http.client, socket, traceback and decimal are imported where needed: every module imported here
# is paid for on each cold start.

# A pre-started generic process: its function's variables come with a specialise frame.
IS_CELL = os.environ.pop("_STAGECRAFT_CELL", None) == "1"


def _write_record(text):
    if OUT_FD is not None:
        try:
            _write_frame("L", {}, text.encode("utf-8", "replace"))
            return
        except OSError:
            pass
    sys.stdout.write(text.replace("\n", "\r") + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# Errors, shaped as AWS's Python runtime reports them.


class FaultException(Exception):
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


def _format_frames(tb):
    import traceback

    return [
        '  File "%s", line %d, in %s\n    %s\n' % (frame.filename, frame.lineno, frame.name, frame.line or "")
        for frame in traceback.extract_tb(tb)
    ]


def _error_result(error, request_id, skip_frames=0):
    if isinstance(error, FaultException):
        return {
            "errorMessage": error.msg,
            "errorType": error.exception_type,
            "requestId": request_id,
            "stackTrace": error.trace or [],
        }
    frames = _format_frames(error.__traceback__)[skip_frames:]
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": frames,
    }


def _log_error(result):
    # As AWS's runtime writes it: type and message each only when set, a Traceback header even
    # for an empty trace (Runtime.ImportModuleError), one line per trace line with its leading
    # spaces as no-break spaces (U+00A0), so log viewers keep the indentation.
    head = "[ERROR]"
    if result.get("errorType"):
        head += " " + result["errorType"]
    if result.get("errorMessage"):
        head += (":" if result.get("errorType") else "") + " " + result["errorMessage"]
    lines = [head]
    if result.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in result["stackTrace"]:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    _write_record("\n".join(lines))


# ---------------------------------------------------------------------------------------------
# Handler loading.


def _load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler, str(e)))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise FaultException(
            FaultException.BUILT_IN_MODULE_CONFLICT,
            "Cannot use built-in module %s as a handler module" % modname,
        )
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '%s': %s" % (modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '%s': %s" % (modname, str(e)),
            trace,
        )
    try:
        fn = getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '%s' missing on module '%s'" % (fname, modname))
    if not callable(fn):
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '%s' missing on module '%s'" % (fname, modname))
    return fn


# ---------------------------------------------------------------------------------------------
# The context object.


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def _make_identity(raw):
    identity = CognitoIdentity()
    identity.cognito_identity_id = (raw or {}).get("cognitoIdentityId")
    identity.cognito_identity_pool_id = (raw or {}).get("cognitoIdentityPoolId")
    return identity


def _make_client_context(raw):
    if raw is None:
        return None
    cc = ClientContext()
    cc.custom = raw.get("custom")
    cc.env = raw.get("env")
    client = raw.get("client")
    if client is not None:
        c = Client()
        c.installation_id = client.get("installation_id")
        c.app_title = client.get("app_title")
        c.app_version_name = client.get("app_version_name")
        c.app_version_code = client.get("app_version_code")
        c.app_package_name = client.get("app_package_name")
        cc.client = c
    else:
        cc.client = None
    return cc


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.client_context = _make_client_context(client_context)
        self.identity = _make_identity(cognito_identity)
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return int(max(self._deadline_ms - int(round(time.time() * 1000)), 0))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
            "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s])"
            % (
                self.aws_request_id,
                self.log_group_name,
                self.log_stream_name,
                self.function_name,
                self.memory_limit_in_mb,
                self.function_version,
                self.invoked_function_arn,
                self.client_context,
                self.identity,
            )
        )


# ---------------------------------------------------------------------------------------------
# Logging: the root logger writes `[LEVEL]\ttime\trequestId\tmessage` records, or JSON ones with
# AWS_LAMBDA_LOG_FORMAT=JSON (stagecraft_json_logs.py); print() output stays as it is.

_current_request_id = ""


class _LambdaLogFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


class _LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            _write_record(self.format(record))
        except Exception:
            self.handleError(record)


def _setup_logging():
    global _log_error
    handler = _LambdaLogHandler()
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        import stagecraft_json_logs

        handler.setFormatter(stagecraft_json_logs.JsonFormatter())
        _log_error = lambda result: _write_record(stagecraft_json_logs.error_record(result))  # noqa: E731
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.addFilter(_LambdaLogFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    # AWS's levels, in Python's names: TRACE is DEBUG there.
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    level = "DEBUG" if level == "TRACE" else level
    if level in logging._nameToLevel:
        root.setLevel(level)


# ---------------------------------------------------------------------------------------------
# Transports.


class HttpClient(object):
    def __init__(self, endpoint):
        import http.client
        import socket

        self.http = http.client
        self.socket = socket
        host_port, _, prefix = endpoint.partition("/")
        host, _, port = host_port.rpartition(":")
        self.prefix = ("/" + prefix.strip("/")) if prefix else ""
        self.host = host
        self.port = int(port)
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = self.http.HTTPConnection(self.host, self.port)
                self.conn.connect()
                self.conn.sock.setsockopt(self.socket.IPPROTO_TCP, self.socket.TCP_NODELAY, 1)
            try:
                self.conn.request(method, self.prefix + "/2018-06-01/runtime" + path, body=body, headers=headers or {})
                res = self.conn.getresponse()
                return res, res.read()
            except (self.http.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise

    def next(self):
        res, body = self._request("GET", "/invocation/next")
        if res.status != 200:
            raise RuntimeError("Runtime API /next answered %d" % res.status)
        return Invocation(
            res.getheader("Lambda-Runtime-Aws-Request-Id"),
            int(res.getheader("Lambda-Runtime-Deadline-Ms") or 0),
            res.getheader("Lambda-Runtime-Invoked-Function-Arn"),
            res.getheader("Lambda-Runtime-Trace-Id"),
            res.getheader("Lambda-Runtime-Client-Context"),
            res.getheader("Lambda-Runtime-Cognito-Identity"),
            body,
        )

    def response(self, request_id, body):
        self._request("POST", "/invocation/%s/response" % request_id, body, {"Content-Type": "application/json"})

    def error(self, request_id, result):
        self._request(
            "POST",
            "/invocation/%s/error" % request_id,
            json.dumps(result).encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": _header_safe(result["errorType"])},
        )

    def init_error(self, result):
        self._request(
            "POST",
            "/init/error",
            json.dumps(result).encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": _header_safe(result["errorType"])},
        )


def _header_safe(value):
    return "".join(c for c in value if 0x20 <= ord(c) <= 0x7E)


# ---------------------------------------------------------------------------------------------
# The loop.


def _decimal_serializer(o):
    if type(o).__name__ == "Decimal" and type(o).__module__ in ("decimal", "_decimal", "_pydecimal"):
        return float(o)
    raise TypeError(repr(o) + " is not JSON serializable")


def _parse_json(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


# The trace id changes with every invocation. Through os.putenv each value would go to the C
# library's setenv, which keeps every string it was ever given: a warm environment would grow by
# ~150 bytes per invocation until the memory limit kills it. os.environ keeps the value (the
# function, boto3 and the X-Ray SDK read it there); only processes the function starts do not
# inherit it unless given os.environ explicitly.
_TRACE_KEY = os.environ.encodekey("_X_AMZN_TRACE_ID")
_c_putenv = os.putenv


def _putenv(key, value):
    if key != _TRACE_KEY:
        _c_putenv(key, value)


os.putenv = _putenv


def _handle(client, handler, inv):
    global _current_request_id
    _current_request_id = inv.request_id
    if inv.trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = inv.trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        try:
            event = json.loads(inv.body) if inv.body else None
        except ValueError as e:
            raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % str(e))
        context = LambdaContext(inv.request_id, _parse_json(inv.client_context), _parse_json(inv.identity), inv.deadline_ms, inv.arn)
        result = handler(event, context)
        try:
            body = json.dumps(result, default=_decimal_serializer).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % str(e))
        client.response(inv.request_id, body)
    except FaultException as e:
        result = _error_result(e, inv.request_id)
        _log_error(result)
        client.error(inv.request_id, result)
    except Exception as e:
        result = _error_result(e, inv.request_id, skip_frames=1)
        _log_error(result)
        client.error(inv.request_id, result)


def main():
    if IN_FD is not None and OUT_FD is not None:
        client = ChannelClient(IN_FD)
        route_stdio_through_channel()
        if IS_CELL:
            # Becomes the function's process: the variables a fresh one would start with (the cell's
            # generic ones are all among them) before logging is set up and its code loads.
            for key, value in (client.await_specialise().get("env") or {}).items():
                os.environ[key] = str(value)
            # PYTHONPATH is read at start: its new entries (unsandboxed, the layers' host directories)
            # go where a fresh process has them, right after the bootstrap's directory.
            added = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p not in sys.path]
            sys.path[1:1] = added
    else:
        client = HttpClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    # Layers, as AWS's runtime puts them: right after the task root, site-packages first.
    runtime = os.environ.get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_", "") or "python%d.%d" % sys.version_info[:2]
    for offset, layer_dir in enumerate(("/opt/python/lib/%s/site-packages" % runtime, "/opt/python")):
        if layer_dir not in sys.path:
            sys.path.insert(sys.path.index(task_root) + 1 + offset, layer_dir)
    _setup_logging()
    try:
        handler = _load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        result = _error_result(e, "", skip_frames=1)
        _log_error(result)
        client.init_error(result)
        sys.exit(1)
    while True:
        _handle(client, handler, client.next())


if __name__ == "__main__":
    main()
