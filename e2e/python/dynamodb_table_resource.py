"""DynamoDB with boto3: the client and the Table resource (Python types, Key and Attr conditions),
the table_exists waiter, query paging, batch_writer, a transaction, and ClientErrors as botocore
parses them."""
import time
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3_common import CONFIG, ENDPOINT, REGION, client, expect_error, report

ddb = client("dynamodb")
resource = boto3.resource("dynamodb", endpoint_url=ENDPOINT, region_name=REGION, config=CONFIG)
name = f"py-orders-{int(time.time() * 1000)}"
created = ddb.create_table(
    TableName=name, BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
)
assert hasattr(created["TableDescription"]["CreationDateTime"], "year"), created
ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
table = resource.Table(name)

with table.batch_writer() as batch:
    for n in range(1, 26):
        batch.put_item(Item={"customer": "ada", "n": n, "total": Decimal(f"{n}.50"), "tags": {"a", "b"}, "blob": b"\x00\x01"})
item = table.get_item(Key={"customer": "ada", "n": 3})["Item"]
assert item["total"] == Decimal("3.5") and item["tags"] == {"a", "b"} and item["blob"].value == b"\x00\x01", item

pages = 0
seen = []
kwargs = {"KeyConditionExpression": Key("customer").eq("ada") & Key("n").between(5, 20), "FilterExpression": Attr("total").gt(Decimal(10)), "Limit": 4}
while True:
    page = table.query(**kwargs)
    pages += 1
    seen += [int(i["n"]) for i in page["Items"]]
    if "LastEvaluatedKey" not in page:
        break
    kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
assert seen == list(range(10, 21)), seen

table.update_item(Key={"customer": "ada", "n": 1}, UpdateExpression="ADD visits :one", ExpressionAttributeValues={":one": 1})
expect_error(("ConditionalCheckFailedException", 400, "The conditional request failed"),
             table.put_item, Item={"customer": "ada", "n": 1}, ConditionExpression=Attr("customer").not_exists())
try:
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"customer": {"S": "bob"}, "n": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": name, "Key": {"customer": {"S": "ada"}, "n": {"N": "1"}}, "ConditionExpression": "visits > :two",
                            "ExpressionAttributeValues": {":two": {"N": "2"}}}},
    ])
    raise AssertionError("expected a cancellation")
except ddb.exceptions.TransactionCanceledException as e:
    reasons = [r["Code"] for r in e.response["CancellationReasons"]]
    assert reasons == ["None", "ConditionalCheckFailed"], reasons
assert "Item" not in table.get_item(Key={"customer": "bob", "n": 1})
expect_error(("ResourceNotFoundException", 400, f"Requested resource not found: Table: {name}-nope not found"), ddb.describe_table, TableName=f"{name}-nope")
count = table.scan(Select="COUNT")["Count"]
ddb.delete_table(TableName=name)
report(pages=pages, count=count)
