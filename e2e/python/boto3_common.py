"""Shared by the boto3 scripts: clients for the Stagecraft endpoint, zips, and a JSON report.

The endpoint and dummy credentials come from the environment (STAGECRAFT_ENDPOINT,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION), as a user's script gets them.
"""
import io
import json
import os
import sys
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STAGECRAFT_ENDPOINT"]
ACCOUNT = "000000000000"
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda-role"
# No retries: a wrong status or throttle must show up as the error it is.
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION, config=CONFIG)


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def client_error(call, *args, **kwargs):
    """Runs a call that must fail; returns (code, message, http status) of its ClientError."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message"), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{getattr(call, '__name__', call)} did not fail")


def expect_error(expected, call, *args, **kwargs):
    """Asserts that a call fails with (code, status) and a message containing `message` if given."""
    code, message, status = client_error(call, *args, **kwargs)
    want_code, want_status = expected[0], expected[1]
    assert (code, status) == (want_code, want_status), f"expected {want_code}/{want_status}, got {code}/{status}: {message}"
    if len(expected) > 2:
        assert message == expected[2], f"message {message!r} != {expected[2]!r}"
    return message


def report(**facts):
    """Prints what the script saw as one JSON line, for the test that runs it."""
    print(json.dumps(facts, default=str))
    sys.stdout.flush()


def create_python_function(lam, name, source, **extra):
    """Creates a python3.11 function whose app.py is `source` and waits until it is Active."""
    created = lam.create_function(FunctionName=name, Runtime="python3.11", Handler="app.handler", Role=ROLE,
                                  Code={"ZipFile": zip_bytes({"app.py": source})}, **extra)
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return created
