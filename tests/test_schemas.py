"""The shipped catalogue and the JSON output follow their schemas."""

from __future__ import annotations

import json

import jsonschema

from conftest import REPO, run_zlint
from zlint.resources import load_json


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = load_json("schemas", name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_catalogue_follows_its_schema():
    errors = list(_validator("catalogue.schema.json").iter_errors(load_json("rules", "catalogue.json")))
    assert errors == []


def test_config_schema_is_a_valid_schema():
    _validator("config.schema.json")


def test_json_output_and_inventory_follow_the_output_schema():
    result = run_zlint("check", "--list-calls", "--output-format", "json", "examples", cwd=REPO)
    document = json.loads(result.stdout)
    assert list(_validator("output.schema.json").iter_errors(document)) == []
    assert document["calls"], "the example has territory calls"
    result = run_zlint("check", "--output-format", "json", "examples", cwd=REPO)
    document = json.loads(result.stdout)
    assert list(_validator("output.schema.json").iter_errors(document)) == []
    assert document["summary"]["findings"] == len(document["findings"]) > 0
