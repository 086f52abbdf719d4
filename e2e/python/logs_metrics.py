"""CloudWatch Logs and metrics with boto3 after invocations: log streams, events and filters
through their paginators; Lambda's metrics by get_metric_statistics and get_metric_data; alarms."""
import datetime
import json
import time

from boto3_common import client, create_python_function, expect_error, report

lam = client("lambda")
logs = client("logs")
cw = client("cloudwatch")
fn = f"py-obs-{int(time.time() * 1000)}"
create_python_function(lam, fn, "def handler(event, context):\n    print(f\"marker-{event['n']}\")\n    if event.get('fail'):\n        raise ValueError('boom')\n    return event['n']\n")
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
for n in range(12):
    r = lam.invoke(FunctionName=fn, Payload=json.dumps({"n": n}))
    assert r["StatusCode"] == 200 and "FunctionError" not in r, r
failed = lam.invoke(FunctionName=fn, Payload=json.dumps({"n": 99, "fail": True}))
assert failed["FunctionError"] == "Unhandled", failed
err = json.loads(failed["Payload"].read())
assert err["errorType"] == "ValueError" and err["errorMessage"] == "boom", err

group = f"/aws/lambda/{fn}"

def wait_for(fetch, ok, what):
    """Logs and metrics arrive shortly after an invocation ends, as on AWS: poll briefly."""
    for _ in range(50):
        value = fetch()
        if ok(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: {value!r}")

wait_for(lambda: [g["logGroupName"] for p in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=group) for g in p["logGroups"]],
         lambda groups: groups == [group], "describe_log_groups")

streams = wait_for(lambda: [s for p in logs.get_paginator("describe_log_streams").paginate(logGroupName=group, PaginationConfig={"PageSize": 1}) for s in p["logStreams"]],
                   lambda s: len(s) >= 1, "log streams")
for s in streams:
    assert isinstance(s["creationTime"], int) and s["arn"].endswith(f":log-stream:{s['logStreamName']}"), s
ordered = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"]
assert len(ordered) == len(streams), ordered

markers = lambda events: sorted({e["message"].strip() for e in events if e["message"].startswith("marker-")})
want = sorted(f"marker-{n}" for n in list(range(12)) + [99])
filtered = wait_for(lambda: [e for p in logs.get_paginator("filter_log_events").paginate(logGroupName=group, filterPattern="marker", PaginationConfig={"PageSize": 5}) for e in p["events"]],
                    lambda ev: markers(ev) == want, "filter_log_events")
assert all(e["logStreamName"] in {s["logStreamName"] for s in streams} for e in filtered)
reports = [e for p in logs.get_paginator("filter_log_events").paginate(logGroupName=group, filterPattern='"REPORT RequestId"') for e in p["events"]]
assert len(reports) == 13, len(reports)

stream = streams[0]["logStreamName"]
first = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True, limit=3)
assert len(first["events"]) == 3 and first["nextForwardToken"].startswith("f/"), first
after = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True, nextToken=first["nextForwardToken"], limit=3)
assert after["events"] and after["events"][0]["timestamp"] >= first["events"][-1]["timestamp"], after
expect_error(("ResourceNotFoundException", 400, "The specified log group does not exist."), logs.get_log_events, logGroupName=f"{group}-none", logStreamName="x")

end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)
dims = [{"Name": "FunctionName", "Value": fn}]
stats = wait_for(lambda: cw.get_metric_statistics(Namespace="AWS/Lambda", MetricName="Invocations", Dimensions=dims, StartTime=start, EndTime=end,
                                                   Period=60, Statistics=["Sum", "SampleCount"])["Datapoints"],
                 lambda d: sum(p["Sum"] for p in d) == 13, "Invocations")
assert all(hasattr(p["Timestamp"], "year") and p["Unit"] == "Count" for p in stats), stats
data = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
    {"Id": "errors", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": dims}, "Period": 60, "Stat": "Sum"}},
    {"Id": "duration", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration", "Dimensions": dims}, "Period": 60, "Stat": "Maximum"}},
])
results = {r["Id"]: r for r in data["MetricDataResults"]}
assert sum(results["errors"]["Values"]) == 1 and results["errors"]["StatusCode"] == "Complete", results["errors"]
assert all(hasattr(t, "year") for t in results["duration"]["Timestamps"]) and results["duration"]["Values"], results["duration"]
metrics = [m for p in cw.get_paginator("list_metrics").paginate(Namespace="AWS/Lambda", Dimensions=dims) for m in p["Metrics"]]
assert {"Invocations", "Errors", "Duration"} <= {m["MetricName"] for m in metrics}, metrics

# Over 10 KB, botocore gzips PutMetricData (Content-Encoding: gzip), as AWS's model allows.
shops = [{"MetricName": "Orders", "Value": float(i), "Unit": "Count", "Dimensions": [{"Name": "Shop", "Value": f"shop-{i:03d}"}]} for i in range(150)]
cw.put_metric_data(Namespace=f"Py/{fn}", MetricData=shops)
listed = [m for p in cw.get_paginator("list_metrics").paginate(Namespace=f"Py/{fn}") for m in p["Metrics"]]
assert len(listed) == 150, len(listed)
alarm = f"{fn}-errors"
cw.put_metric_alarm(AlarmName=alarm, Namespace="AWS/Lambda", MetricName="Errors", Dimensions=dims, Statistic="Sum", Period=60,
                    EvaluationPeriods=1, Threshold=0.0, ComparisonOperator="GreaterThanThreshold", TreatMissingData="notBreaching")
alarms = [a for p in cw.get_paginator("describe_alarms").paginate(AlarmNames=[alarm]) for a in p["MetricAlarms"]]
assert len(alarms) == 1 and alarms[0]["Threshold"] == 0.0 and alarms[0]["Dimensions"] == dims, alarms
assert hasattr(alarms[0]["StateUpdatedTimestamp"], "year"), alarms[0]
cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="testing")
assert cw.describe_alarms(AlarmNames=[alarm], StateValue="ALARM")["MetricAlarms"][0]["StateValue"] == "ALARM"
expect_error(("ResourceNotFound", 404), cw.set_alarm_state, AlarmName=f"{alarm}-none", StateValue="OK", StateReason="x")
cw.delete_alarms(AlarmNames=[alarm])
assert cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"] == []

lam.delete_function(FunctionName=fn)
report(function=fn, streams=len(streams), filtered=len(filtered), datapoints=len(stats))
