"""S3 with boto3 (path style): list_parts and list_multipart_uploads through boto3's paginators
(which page on IsTruncated), a delimiter's CommonPrefixes, bucket versioning and tagging."""
from botocore.config import Config

from boto3_common import ENDPOINT, REGION, expect_error, report
import boto3

s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION,
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}))
s3.create_bucket(Bucket="boto-mpu")
upload = s3.create_multipart_upload(Bucket="boto-mpu", Key="big/a.bin")["UploadId"]
for n in (1, 2, 3):
    s3.upload_part(Bucket="boto-mpu", Key="big/a.bin", UploadId=upload, PartNumber=n, Body=b"x" * n)
for key in ("big/b.bin", "top.bin"):
    s3.create_multipart_upload(Bucket="boto-mpu", Key=key)

parts = []
for page in s3.get_paginator("list_parts").paginate(Bucket="boto-mpu", Key="big/a.bin", UploadId=upload, PaginationConfig={"PageSize": 2}):
    parts.append([(p["PartNumber"], p["Size"]) for p in page.get("Parts", [])])

uploads, prefixes = [], []
for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket="boto-mpu", Delimiter="/", PaginationConfig={"PageSize": 1}):
    uploads += [u["Key"] for u in page.get("Uploads", [])]
    prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
every = [u["Key"] for u in s3.list_multipart_uploads(Bucket="boto-mpu")["Uploads"]]

expect_error(("NoSuchUpload", 404), s3.list_parts, Bucket="boto-mpu", Key="big/a.bin", UploadId="nope")
expect_error(("NoSuchTagSet", 404, "The TagSet does not exist"), s3.get_bucket_tagging, Bucket="boto-mpu")
s3.put_bucket_tagging(Bucket="boto-mpu", Tagging={"TagSet": [{"Key": "team", "Value": "core"}]})
versioning = s3.get_bucket_versioning(Bucket="boto-mpu")
report(parts=parts, uploads=uploads, prefixes=prefixes, every=every,
       tags=s3.get_bucket_tagging(Bucket="boto-mpu")["TagSet"], versioning=versioning.get("Status"),
       location=s3.get_bucket_location(Bucket="boto-mpu")["LocationConstraint"])
