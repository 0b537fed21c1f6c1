"""Writes the hand-made datacontract-cli fixtures of this folder.

No public repository has a `datacontract test --output` JSON file (datacontract-cli's own tests
build runs in memory), so these runs are made here: the checks are the ones
`engines/checks/create_checks.py` and `engines/ibis/ibis_check_execute.py` of the named CLI
version create for a small `orders` contract (keys, types, names, reasons and `diagnostics`
spelled as that code spells them), and the JSON is written by that version's own
`datacontract/model/run.py` pydantic model, the way the CLI writes it:

- `--output` (`output/json_test_results.py`): `run.model_dump_json(indent=2)`;
- `--publish` (`integration/entropy_data.py`, 1.0.x): `run.model_dump_json()`.

Run from this folder, with only that version's `run.py` on the path, e.g.

    mkdir -p /tmp/dc/v1.1.1/datacontract/model
    git -C datacontract-cli show v1.1.1:datacontract/model/run.py \
      > /tmp/dc/v1.1.1/datacontract/model/run.py
    touch /tmp/dc/v1.1.1/datacontract/__init__.py /tmp/dc/v1.1.1/datacontract/model/__init__.py
    PYTHONPATH=/tmp/dc/v1.1.1 python3 generate.py v1.1.1

(likewise v1.0.17 and v0.10.23; pydantic 2).
"""

import sys
from datetime import datetime, timezone
from uuid import UUID

from datacontract.model.run import Check, Log, ResultEnum, Run

VERSION = sys.argv[1]
START = datetime(2026, 8, 20, 7, 0, 4, 120511, tzinfo=timezone.utc)
END = datetime(2026, 8, 20, 7, 0, 9, 884200, tzinfo=timezone.utc)


def uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def run(run_id: int, checks, **fields) -> Run:
    extra = {"datacontractCliVersion": VERSION.lstrip("v")} if VERSION != "v0.10.23" else {}
    r = Run(
        runId=UUID(uuid(run_id)),
        timestampStart=START,
        timestampEnd=END,
        checks=checks,
        logs=[Log(level="INFO", message="Running checks with ibis", timestamp=START)],
        **extra,
        **fields,
    )
    r.calculate_result()
    return r


def ibis(n: int, key: str, category: str, type_: str, name: str, model: str, field, result: str, **rest) -> Check:
    return Check(
        id=uuid(n),
        key=key,
        category=category,
        type=type_,
        name=name,
        model=model,
        field=field,
        engine="datacontract-cli",
        result=ResultEnum(result),
        **rest,
    )


def write(name: str, text: str):
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")


if VERSION == "v1.1.1":
    checks = [
        ibis(1, "orders__order_id__field_is_present", "schema", "field_is_present",
             "Check that field 'order_id' is present", "orders", "order_id", "passed",
             language="introspection", implementation="column 'order_id' exists in orders",
             diagnostics={"metric": "field_present", "field": "order_id", "present": True}),
        ibis(2, "orders__order_id__field_type", "schema", "field_type",
             "Check that field order_id has type string", "orders", "order_id", "passed",
             language="introspection", implementation="type of 'order_id' is compatible with 'string'",
             diagnostics={"metric": "field_type", "field": "order_id", "expected": "string", "actual": "string"}),
        ibis(3, "orders__order_id__field_required", "schema", "field_required",
             "Check that field order_id has no missing values", "orders", "order_id", "passed",
             language="sql", implementation='SELECT SUM(CAST("t0"."order_id" IS NULL AS INT)) AS "orders__order_id__field_required" FROM "orders" AS "t0"',
             diagnostics={"metric": "missing_count", "field": "order_id", "value": 0, "threshold": "= 0",
                          "row_count": 1200, "failed_fraction": 0.0}),
        ibis(4, "orders__order_id__field_unique", "schema", "field_unique",
             "Check that unique field order_id has no duplicate values", "orders", "order_id", "failed",
             reason="Actual duplicate_count(order_id) was 3, expected = 0",
             diagnostics={"metric": "duplicate_count", "field": "order_id", "value": 3, "threshold": "= 0"}),
        ibis(5, "orders__customer_id__field_is_present", "schema", "field_is_present",
             "Check that field 'customer_id' is present", "orders", "customer_id", "failed",
             reason="Required column 'customer_id' is missing",
             diagnostics={"metric": "field_present", "field": "customer_id", "present": False}),
        ibis(6, "orders__customer_id__field_type", "schema", "field_type",
             "Check that field customer_id has type string", "orders", "customer_id", "failed",
             reason="Column 'customer_id' is missing",
             diagnostics={"metric": "field_type", "field": "customer_id", "expected": "string"}),
        ibis(7, "orders__status__field_enum", "schema", "field_enum",
             "Check that field status only contains enum values ['placed', 'shipped', 'returned']",
             "orders", "status", "failed",
             reason="Actual invalid_count(status) was 2, expected = 0",
             diagnostics={"metric": "invalid_count", "field": "status", "value": 2, "threshold": "= 0",
                          "row_count": 1200, "failed_fraction": 0.001667,
                          "constraint": {"valid_values": ["placed", "shipped", "returned"]}}),
        ibis(8, "orders__amount__field_null_values", "quality", "field_null_values",
             "Check that field amount has missing_count = 0", "orders", "amount", "failed",
             qualityId="amount_not_null", reason="Actual missing_count(amount) was 4, expected = 0",
             diagnostics={"metric": "missing_count", "field": "amount", "value": 4, "severity": "error",
                          "threshold": "= 0", "row_count": 1200, "failed_fraction": 0.003333}),
        ibis(9, "orders__email__field_missing_values", "quality", "field_missing_values",
             "Check that field email has missing_count < 5", "orders", "email", "passed",
             qualityId="email_mostly_present", tags=["completeness"],
             diagnostics={"metric": "missing_count", "field": "email", "value": 30, "unit": "percent",
                          "threshold": "< 5", "row_count": 1200, "failed_fraction": 0.025,
                          "percent": 2.5, "missing_values": ["", "n/a"]}),
        ibis(10, "orders__status__field_invalid_values", "quality", "field_invalid_values",
             "Check that field status has invalid_count = 0", "orders", "status", "warning",
             qualityId="status_valid", reason="Actual invalid_count(status) was 2, expected = 0",
             diagnostics={"metric": "invalid_count", "field": "status", "value": 2, "severity": "warning",
                          "threshold": "= 0", "row_count": 1200, "failed_fraction": 0.001667,
                          "constraint": {"valid_values": ["placed", "shipped", "returned"]}}),
        ibis(11, "orders__order_id__field_duplicate_values", "quality", "field_duplicate_values",
             "Check that field order_id has duplicate_count = 0", "orders", "order_id", "failed",
             qualityId="order_id_unique", reason="Actual duplicate_count(order_id) was 3, expected = 0",
             diagnostics={"metric": "duplicate_count", "field": "order_id", "value": 3, "threshold": "= 0"}),
        ibis(12, "orders__model_duplicate_values", "quality", "model_duplicate_values",
             "Check that model orders has duplicate_count = 0 for columns order_id, line_no", "orders", None,
             "passed", qualityId="order_line_unique",
             diagnostics={"metric": "duplicate_count", "value": 0, "threshold": "= 0",
                          "columns": ["order_id", "line_no"]}),
        ibis(13, "orders__row_count", "quality", "row_count",
             "Check that model orders has row_count > 1000", "orders", None, "passed",
             qualityId="orders_row_count",
             diagnostics={"metric": "row_count", "value": 1200, "threshold": "> 1000"}),
        ibis(14, "orders__quality_sql_0", "quality", "model_quality_sql",
             "95% of all order total values are expected to be between 10 and 499 EUR.", "orders", None,
             "passed", qualityId="orders_amount_p95", language="sql",
             implementation="SELECT quantile_cont(amount, 0.95) AS percentile_95 FROM orders",
             diagnostics={"metric": "custom_sql", "value": 452.0, "threshold": "between 10 and 499"}),
        ibis(15, "orders__quality_custom_1", "quality", "quality_custom_soda", "Custom SodaCL Check", "orders",
             None, "warning",
             reason="Raw SodaCL custom checks (quality.type: custom, engine: soda) are no longer supported "
             "since soda-core was removed. Migrate this check to quality.type: sql."),
        ibis(16, "servicelevel_freshness", "servicelevel", "servicelevel_freshness",
             "Freshness of orders.order_timestamp < 24h", "orders", "order_timestamp", "failed",
             reason="Freshness is 90412s, which exceeds the threshold of 86400s",
             diagnostics={"metric": "freshness", "field": "order_timestamp", "age_seconds": 90412,
                          "threshold_seconds": 86400, "latest_timestamp": "2026-08-19T05:53:17+00:00"}),
        ibis(17, "servicelevel_retention", "servicelevel", "servicelevel_retention",
             "Retention of orders.order_timestamp < 31536000s", "orders", "order_timestamp", "passed",
             diagnostics={"metric": "retention", "field": "order_timestamp", "age_seconds": 25920000,
                          "threshold_seconds": 31536000, "oldest_timestamp": "2025-10-24T07:00:09+00:00"}),
        ibis(18, "line_items__primary_key_unique", "schema", "primary_key_unique",
             "Check that primary key (order_id, line_no) has no duplicate values", "line_items", None,
             "passed", diagnostics={"metric": "duplicate_count", "value": 0, "threshold": "= 0",
                                    "columns": ["order_id", "line_no"]}),
    ]
    r = run(1, checks, dataContractId="orders-contract", dataContractVersion="2.1.0",
            dataProductId="orders", outputPortId="orders_v2", server="production")
    write("handmade__cli-1.1.1-output.json", r.model_dump_json(indent=2))

    # `datacontract test --metadata-only`, then a run that could not start.
    skipped = [
        ibis(21, "orders__order_id__field_is_present", "schema", "field_is_present",
             "Check that field 'order_id' is present", "orders", "order_id", "passed",
             diagnostics={"metric": "field_present", "field": "order_id", "present": True}),
        ibis(22, "orders__order_id__field_required", "schema", "field_required",
             "Check that field order_id has no missing values", "orders", "order_id", "skipped",
             reason="Row-value check disabled by --metadata-only"),
        ibis(23, "orders__row_count", "quality", "row_count", "Check that model orders has row_count > 1000",
             "orders", None, "skipped", qualityId="orders_row_count",
             reason="Row-value check disabled by --metadata-only"),
        Check(type="schema", name="Check that JSON has valid schema", model="orders",
              result=ResultEnum.info, reason="JSON Schema check skipped for GCS, as GCS is currently not supported",
              engine="jsonschema"),
        ibis(24, "orders__amount__field_type", "schema", "field_type", "Check that field amount has type decimal",
             "orders", "amount", "unknown"),
        ibis(25, "orders__amount__field_minimum", "schema", "field_minimum",
             "Check that field amount has a minimum of 0", "orders", "amount", "passed",
             diagnostics={"metric": "invalid_count", "field": "amount", "value": 0, "threshold": "= 0",
                          "row_count": 1200, "failed_fraction": 0.0, "constraint": {"valid_min": 0}}),
        Check(type="general", name="Test Data Contract", result=ResultEnum.error,
              reason="Catalog Error: Table with name orders_archive does not exist!", engine="datacontract-cli"),
    ]
    r = run(2, skipped, dataContractId="orders-contract", dataContractVersion="2.1.0", server="production")
    write("handmade__cli-1.1.1-metadata-only.json", r.model_dump_json(indent=2))

if VERSION == "v1.0.17":
    checks = [
        ibis(31, "orders__amount__field_null_values", "quality", "field_null_values",
             "Check that field amount has missing_count = 0", "orders", "amount", "passed",
             quality_id="amount_not_null",
             diagnostics={"metric": "missing_count", "field": "amount", "value": 0, "threshold": "= 0",
                          "row_count": 1200, "failed_fraction": 0.0}),
        ibis(32, "orders__order_id__field_unique", "schema", "field_unique",
             "Check that unique field order_id has no duplicate values", "orders", "order_id", "passed",
             diagnostics={"metric": "duplicate_count", "field": "order_id", "value": 0, "threshold": "= 0"}),
        ibis(33, "orders__row_count", "quality", "row_count", "Check that model orders has row_count > 1000",
             "orders", None, "failed", quality_id="orders_row_count",
             reason="Actual row_count(orders) was 998, expected > 1000",
             diagnostics={"metric": "row_count", "value": 998, "threshold": "> 1000"}),
    ]
    r = run(3, checks, dataContractId="orders-contract", dataContractVersion="2.0.0", server="production")
    # What `--publish` sends: the run without skipped checks, compact, nulls included.
    write("handmade__cli-1.0.17-publish.json", r.model_dump_json())

if VERSION == "v0.10.23":
    checks = [
        Check(id=uuid(41), key="orders__order_id__field_is_present", category="schema", type="field_is_present",
              name="Check that field 'order_id' is present", model="orders", field="order_id", engine="soda",
              language="sodacl", implementation="schema:\n  fail:\n    when required column missing:\n    - order_id\n",
              result=ResultEnum.passed, reason="", diagnostics={"blocks": []}),
        Check(id=uuid(42), key="orders__order_id__field_required", category="schema", type="field_required",
              name="Check that field order_id has no missing values", model="orders", field="order_id",
              engine="soda", language="sodacl", implementation="missing_count(order_id) = 0",
              result=ResultEnum.failed, reason="Value: 2 Fail: {'greaterThan': 0.0}",
              diagnostics={"blocks": [], "value": 2, "fail": {"greaterThan": 0.0}}),
        Check(id=uuid(43), key="orders__quality_sql_0", category="quality", type="field_quality_sql",
              name="Quality Check", model="orders", engine="soda", language="sodacl",
              implementation="orders_quality_sql_0 between 10 and 499", result=ResultEnum.unknown, reason=""),
    ]
    r = run(4, checks, dataContractId="orders-contract", dataContractVersion="1.0.0", server="production")
    write("handmade__cli-0.10.23-soda.json", r.model_dump_json(indent=2))
