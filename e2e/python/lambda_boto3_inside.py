"""A Python function that itself uses boto3 against the platform, as functions do on AWS: the
client is made without an endpoint (AWS_ENDPOINT_URL) or credentials (the function's own).

AWS's Python runtimes include boto3; a host python3 may not, so boto3 comes in a layer built
from this interpreter's own packages (with botocore's data trimmed to the services used)."""
import base64
import importlib
import io
import json
import os
import time
import zipfile

import boto3

from boto3_common import ACCOUNT, client, create_python_function, report

# boto3 and what it imports; six and s3transfer are absent from some installs.
PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
SERVICES = {"lambda", "sts", "logs"}


def layer_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in PACKAGES:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            if not module.__file__.endswith("__init__.py"):
                z.write(module.__file__, f"python/{os.path.basename(module.__file__)}")
                continue
            base = os.path.dirname(module.__file__)
            for folder, dirs, files in os.walk(base):
                rel = os.path.relpath(folder, os.path.dirname(base))
                # botocore's data: only the services the function calls (and the shared files).
                trim = rel == os.path.join("botocore", "data")
                dirs[:] = [d for d in dirs if d != "__pycache__" and not (trim and d not in SERVICES)]
                for f in files:
                    z.write(os.path.join(folder, f), f"python/{rel}/{f}")
    return buf.getvalue()


lam = client("lambda")
fn = f"py-inside-{int(time.time() * 1000)}"
handler = """
import json, os
import boto3

def handler(event, context):
    lam = boto3.client('lambda')
    me = lam.get_function_configuration(FunctionName=context.function_name)
    sts = boto3.client('sts').get_caller_identity()
    try:
        lam.get_function(FunctionName=context.function_name + '-missing')
        missing = None
    except lam.exceptions.ResourceNotFoundException as e:
        missing = e.response['Error']['Code']
    groups = boto3.client('logs').describe_log_groups(logGroupNamePrefix='/aws/lambda/' + context.function_name)['logGroups']
    return {'boto3': boto3.__version__, 'endpoint': os.environ.get('AWS_ENDPOINT_URL'), 'runtime': me['Runtime'],
            'account': sts['Account'], 'missing': missing, 'groups': [g['logGroupName'] for g in groups]}
"""
layer = lam.publish_layer_version(LayerName=f"{fn}-boto3", Content={"ZipFile": layer_zip()}, CompatibleRuntimes=["python3.11"])
create_python_function(lam, fn, handler, Timeout=30, MemorySize=256, Layers=[layer["LayerVersionArn"]])
out = lam.invoke(FunctionName=fn, Payload=b"{}", LogType="Tail")
body = json.loads(out["Payload"].read())
assert "FunctionError" not in out, (body, base64.b64decode(out["LogResult"]).decode())
assert body["boto3"] == boto3.__version__ and body["runtime"] == "python3.11", body
assert body["account"] == ACCOUNT and body["missing"] == "ResourceNotFoundException", body
# The first invocation's log group is written as it ends (on AWS, shortly after): the next one sees it.
again = json.loads(lam.invoke(FunctionName=fn, Payload=b"{}")["Payload"].read())
assert again["groups"] == [f"/aws/lambda/{fn}"], again

lam.delete_function(FunctionName=fn)
lam.delete_layer_version(LayerName=f"{fn}-boto3", VersionNumber=layer["Version"])
report(function=fn, layer_bytes=layer["Content"]["CodeSize"], inside=body)
