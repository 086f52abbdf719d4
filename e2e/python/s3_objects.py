"""S3 with boto3 (path style): a bucket, an upload and a download (upload_file / download_file use
multipart above their threshold), metadata, listing, and S3's errors."""
import os
import tempfile

from botocore.config import Config

from boto3_common import ENDPOINT, REGION, expect_error, report
import boto3

s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION,
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}))
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="hello.txt", Body=b"hello boto3", Metadata={"who": "boto3"}, ContentType="text/plain")
got = s3.get_object(Bucket="boto-bucket", Key="hello.txt")
assert got["Body"].read() == b"hello boto3"
assert got["Metadata"] == {"who": "boto3"}, got["Metadata"]

data = os.urandom(12 * 1024 * 1024)
with tempfile.TemporaryDirectory() as d:
    src, dst = os.path.join(d, "up.bin"), os.path.join(d, "down.bin")
    with open(src, "wb") as f:
        f.write(data)
    s3.upload_file(src, "boto-bucket", "big/up.bin")
    s3.download_file("boto-bucket", "big/up.bin", dst)
    with open(dst, "rb") as f:
        assert f.read() == data

head = s3.head_object(Bucket="boto-bucket", Key="big/up.bin")
listed = s3.list_objects_v2(Bucket="boto-bucket", Delimiter="/")
expect_error(("NoSuchKey", 404, "The specified key does not exist."), s3.get_object, Bucket="boto-bucket", Key="missing")
expect_error(("NoSuchBucket", 404, "The specified bucket does not exist"), s3.list_objects_v2, Bucket="missing-bucket")
expect_error(("BucketNotEmpty", 409), s3.delete_bucket, Bucket="boto-bucket")
report(size=head["ContentLength"], multipart=head["ETag"].endswith('-2"'),
       keys=[c["Key"] for c in listed.get("Contents", [])], prefixes=[p["Prefix"] for p in listed.get("CommonPrefixes", [])])
