"""Corpus files in (paths as arguments), Python jsonschema's verdicts out: one JSON line per case,
{"corpus": path, "case": index, "valid": bool}, or {"corpus": path, "compile_error": message} when
the schema is not a valid 2020-12 schema. Draft 2020-12 with format checking (date-time needs
rfc3339-validator, installed beside it); numbers are read exactly (decimals as Decimal). Run by
conformance/tests/it/cross_validators.rs; installed by .ci/install-validators."""

import decimal
import json
import os
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


def read_json(file_path):
    with open(file_path, encoding="utf-8") as file:
        return json.load(file, parse_float=decimal.Decimal)


for corpus_path in sys.argv[1:]:
    corpus = read_json(corpus_path)
    schema = read_json(os.path.join(os.path.dirname(corpus_path), corpus["schema"]))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        print(json.dumps({"corpus": corpus_path, "compile_error": error.message}))
        continue
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for index, case in enumerate(corpus["cases"]):
        print(json.dumps({"corpus": corpus_path, "case": index, "valid": validator.is_valid(case["payload"])}))
