"""STS with boto3 (the query protocol: form-encoded requests, XML answers and errors)."""
from boto3_common import ACCOUNT, client, report

sts = client("sts")
me = sts.get_caller_identity()
assert (me["Account"], me["Arn"], me["UserId"]) == (ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT), me
assert me["ResponseMetadata"]["RequestId"], me["ResponseMetadata"]
report(**{k: me[k] for k in ("Account", "Arn", "UserId")})
