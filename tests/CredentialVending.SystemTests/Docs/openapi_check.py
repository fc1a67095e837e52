"""Checks live answers of the service against docs/openapi.yaml.

usage: python3 openapi_check.py OPENAPI.yaml ANSWERS.json

ANSWERS.json is a list of {"method", "route", "status", "contentType", "headers": {lowercased: value}, "body"}, where
route is the path template (/v1/tenants/{tenantId}/credentials). Each answer must be documented: the operation, the
status (or its NXX range, or default), the content type, the body against the schema (JSON Schema 2020-12, as
OpenAPI 3.1 has it) and every header the response marks required. Every operation must have had a 2xx answer
checked. Prints each failure and exits 1 when there is any; prints a summary and exits 0 otherwise.
"""
import json
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def main(spec_path, answers_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    with open(answers_path, encoding="utf-8") as f:
        answers = json.load(f)

    registry = Registry().with_resource("urn:openapi", Resource.from_contents(spec, default_specification=DRAFT202012))

    def resolve(obj):
        while isinstance(obj, dict) and "$ref" in obj:
            target = spec
            for part in obj["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            obj = target
        return obj

    failures, checked, succeeded = [], 0, set()
    for a in answers:
        where = f'{a["method"]} {a["route"]} -> {a["status"]}'
        op = spec.get("paths", {}).get(a["route"], {}).get(a["method"].lower())
        if op is None:
            failures.append(f"{where}: the operation is not in the document")
            continue
        responses = op.get("responses", {})
        status = str(a["status"])
        key = next((k for k in (status, status[0] + "XX", "default") if k in responses), None)
        if key is None:
            failures.append(f"{where}: status {status} is not documented (documented: {', '.join(responses)})")
            continue
        response = resolve(responses[key])
        for name, header in (response.get("headers") or {}).items():
            header = resolve(header)
            if header.get("required") and name.lower() not in a["headers"]:
                failures.append(f"{where}: the required header {name} is missing")
        content = response.get("content") or {}
        media = (a.get("contentType") or "").split(";")[0].strip().lower()
        if not a["body"]:
            if content and media:
                failures.append(f"{where}: an empty body, but the document says {', '.join(content)}")
        elif media not in content:
            failures.append(f"{where}: content type {media or '(none)'} is not documented (documented: {', '.join(content) or 'no body'})")
        else:
            schema_ptr = pointer("paths", a["route"], a["method"].lower(), "responses", key, "content", media, "schema")
            if "$ref" in responses[key]:
                schema_ptr = responses[key]["$ref"].lstrip("#") + pointer("content", media, "schema")
            try:
                body = json.loads(a["body"])
            except ValueError as e:
                failures.append(f"{where}: the body is not JSON ({e}): {a['body'][:200]}")
                continue
            validator = Draft202012Validator({"$ref": "urn:openapi#" + schema_ptr}, registry=registry,
                                             format_checker=Draft202012Validator.FORMAT_CHECKER)
            for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path)):
                path = "/".join(str(p) for p in error.absolute_path) or "(root)"
                failures.append(f"{where}: at {path}: {error.message[:300]}")
        checked += 1
        if 200 <= a["status"] < 300:
            succeeded.add((a["method"].lower(), a["route"]))

    for route, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item and (method, route) not in succeeded:
                failures.append(f"{method.upper()} {route}: no 2xx answer of this operation was checked")

    for failure in failures:
        print(failure)
    print(f"{checked} answers checked against {spec_path}; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
