"""SQS with boto3 (AWS JSON 1.0, query-compatible errors): botocore checks the body and attribute digests."""
from boto3_common import client, report

sqs = client("sqs")
url = sqs.create_queue(QueueName="py-jobs.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
sent = [sqs.send_message(QueueUrl=url, MessageBody=f"job {i}", MessageGroupId="g",
                         MessageAttributes={"n": {"DataType": "Number", "StringValue": str(i)}, "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
        for i in range(3)]
again = sqs.send_message(QueueUrl=url, MessageBody="job 0", MessageGroupId="g")
assert again["MessageId"] == sent[0]["MessageId"], (again, sent[0])
bodies = []
while True:
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"]).get("Messages", [])
    if not got:
        break
    bodies += [m["Body"] for m in got]
    assert got[0]["MessageAttributes"]["raw"]["BinaryValue"] == b"\x00\x01", got[0]
    sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
try:
    sqs.get_queue_url(QueueName="py-missing")
    raise AssertionError("expected QueueDoesNotExist")
except sqs.exceptions.QueueDoesNotExist as e:
    error = e.response["Error"]
report(bodies=bodies, error=error["Code"], message=error["Message"])
