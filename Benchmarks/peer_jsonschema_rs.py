#!/usr/bin/env python3
"""Peer: orjson.loads + jsonschema-rs (formats asserted) on the project's own schema file.

Checks what JSON Schema 2020-12 can say: closed objects, required keys, types, enums, bounds, patterns,
`format: uuid` and `format: date` (real calendar dates). Ignores the `x-backpay-*` annotations, so it does
not check unique (tool, model), the date window or two-decimal costs; orjson accepts duplicate keys (last
wins) and JSON Schema counts 1200.0 as an integer.
"""

import os
import sys

import jsonschema_rs
import orjson

import peer_common

DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "payload-v0.schema.json")


def make_check(schema_path):
    with open(schema_path or DEFAULT_SCHEMA, "rb") as f:
        validator = jsonschema_rs.validator_for(orjson.loads(f.read()), validate_formats=True)
    is_valid, loads, JSONDecodeError = validator.is_valid, orjson.loads, orjson.JSONDecodeError

    def check(line: bytes) -> bool:
        try:
            return is_valid(loads(line))
        except JSONDecodeError:
            return False

    return check


if __name__ == "__main__":
    sys.exit(peer_common.main("orjson+jsonschema-rs", make_check))
