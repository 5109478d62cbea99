"""Writes the CloudFormation that SAM makes of a template (what `sam deploy` would submit, less
the artifacts' upload), offline: SAM's own translator from the project's venv, no AWS call.
Usage: sam_translate.py TEMPLATE OUT.json (AWS_DEFAULT_REGION must be set; any region will do)."""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The translator asks IAM for managed policy ARNs only to expand short names; we use none."""

    def load(self):
        return {}


template = yaml_parse(open(sys.argv[1]).read())
for resource in template["Resources"].values():
    if resource["Type"] == "AWS::Serverless::Function":
        # the translator wants an S3 location: `sam deploy` uploads the jar and puts it there
        resource["Properties"]["CodeUri"] = "s3://artifacts/" + resource["Properties"]["CodeUri"].split("/")[-1]
json.dump(transform(template, {}, NoManagedPolicies()), open(sys.argv[2], "w"), indent=1, default=str)
