"""Parses a Prometheus text-format scrape with the reference Python client's parser and prints
every sample as JSON: {"samples": [{"family", "type", "name", "labels", "value"}]}. A scrape the
parser rejects makes this exit non-zero with the parser's error."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1], encoding="utf-8") as scrape:
    text = scrape.read()
samples = []
for family in text_string_to_metric_families(text):
    for sample in family.samples:
        value = sample.value
        samples.append({"family": family.name, "type": family.type, "name": sample.name, "labels": sample.labels,
                        "value": None if value != value else value})
print(json.dumps({"samples": samples}))
