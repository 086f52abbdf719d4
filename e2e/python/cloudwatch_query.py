"""CloudWatch over the query protocol (form requests, XML answers), as boto3 releases before
1.37 speak it (botocore now prefers JSON 1.0): the same model with its protocol set to query."""
import datetime
import time

import boto3
import botocore.session

from boto3_common import CONFIG, ENDPOINT, REGION, expect_error, report

session = botocore.session.get_session()
model = session.get_service_data("cloudwatch")  # the loader's cached copy: the client is built from it
model["metadata"]["protocol"] = "query"
model["metadata"]["protocols"] = ["query"]
cw = boto3.Session(botocore_session=session).client("cloudwatch", endpoint_url=ENDPOINT, region_name=REGION, config=CONFIG)
assert cw.meta.service_model.protocol == "query"

ns = f"Py/Query{int(time.time() * 1000)}"
now = datetime.datetime.now(datetime.timezone.utc)
# 150 data points: a form body over 10 KB, which botocore gzips.
cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Orders", "Value": float(i), "Unit": "Count", "Dimensions": [{"Name": "Shop", "Value": f"s{i:03d}"}]} for i in range(150)])
listed = [m for p in cw.get_paginator("list_metrics").paginate(Namespace=ns) for m in p["Metrics"]]
assert len(listed) == 150, len(listed)
dims = [{"Name": "Shop", "Value": "s007"}]
stats = cw.get_metric_statistics(Namespace=ns, MetricName="Orders", Dimensions=dims, StartTime=now - datetime.timedelta(minutes=5),
                                 EndTime=now + datetime.timedelta(minutes=1), Period=60, Statistics=["Sum", "Maximum"])["Datapoints"]
assert [(p["Sum"], p["Maximum"], p["Unit"]) for p in stats] == [(7.0, 7.0, "Count")], stats
data = cw.get_metric_data(StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=1), MetricDataQueries=[
    {"Id": "orders", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Orders", "Dimensions": dims}, "Period": 60, "Stat": "Sum"}}])
assert data["MetricDataResults"][0]["Values"] == [7.0], data["MetricDataResults"]

# Percentiles: the ExtendedStatistics map of a datapoint, from XML entries.
cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Latency", "Values": [float(v) for v in range(1, 101)], "Counts": [10.0] * 100}])
pctl = cw.get_metric_statistics(Namespace=ns, MetricName="Latency", StartTime=now - datetime.timedelta(minutes=5),
                                EndTime=now + datetime.timedelta(minutes=1), Period=60, ExtendedStatistics=["p50", "p99"])["Datapoints"]
assert len(pctl) == 1 and abs(pctl[0]["ExtendedStatistics"]["p99"] - 99) <= 0.99 and abs(pctl[0]["ExtendedStatistics"]["p50"] - 50) <= 0.5, pctl

alarm = f"{ns}-alarm"
cw.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="Orders", Dimensions=dims, Statistic="Sum", Period=60, EvaluationPeriods=1,
                    Threshold=5.0, ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "team", "Value": "py"}])
described = cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]
assert len(described) == 1 and described[0]["Dimensions"] == dims and hasattr(described[0]["StateUpdatedTimestamp"], "year"), described
assert cw.list_tags_for_resource(ResourceARN=described[0]["AlarmArn"])["Tags"] == [{"Key": "team", "Value": "py"}]
expect_error(("ResourceNotFound", 404, f"Could not find alarm {alarm}-none."), cw.set_alarm_state, AlarmName=f"{alarm}-none", StateValue="OK", StateReason="x")
expect_error(("InvalidParameterValue", 400), cw.get_metric_statistics, Namespace=ns, MetricName="Orders", StartTime=now, EndTime=now, Period=60, Statistics=["Sum"])
cw.delete_alarms(AlarmNames=[alarm])
report(protocol=cw.meta.service_model.protocol, metrics=len(listed))
