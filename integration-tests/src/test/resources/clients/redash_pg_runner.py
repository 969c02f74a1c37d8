"""Redash's PostgreSQL query runner flow (redash/query_runner/pg.py), replayed against Sekisho.

The connection, the wait loop, the type map, the schema-browser query, the query annotation and
the auto limit are copied from Redash so that the gateway sees exactly what a Redash worker sends:
psycopg2 with async_=True (libpq, simple Query protocol, autocommit, sslmode=prefer).

Usage: redash_pg_runner.py STEP [ARG...], with SEKISHO_HOST, SEKISHO_PORT, SEKISHO_USER and
SEKISHO_PASSWORD in the environment. Prints one JSON object on stdout. Steps:
  test_connection         Redash's "Test Connection" button (noop_query SELECT 1)
  schema                  the schema browser (PostgreSQL._get_tables + build_schema)
  query SQL               a user query: annotated and auto-limited like a Redash execution
  cancel SQL DELAY        runs SQL and calls connection.cancel() from another thread after DELAY s
"""

import datetime
import decimal
import json
import os
import select
import sys
import threading
import time

import psycopg2
import psycopg2.extensions

TYPE_INTEGER = "integer"
TYPE_FLOAT = "float"
TYPE_BOOLEAN = "boolean"
TYPE_STRING = "string"
TYPE_DATETIME = "datetime"
TYPE_DATE = "date"

# redash/query_runner/pg.py
types_map = {
    20: TYPE_INTEGER,
    21: TYPE_INTEGER,
    23: TYPE_INTEGER,
    700: TYPE_FLOAT,
    1700: TYPE_FLOAT,
    701: TYPE_FLOAT,
    16: TYPE_BOOLEAN,
    1082: TYPE_DATE,
    1182: TYPE_DATE,
    1114: TYPE_DATETIME,
    1184: TYPE_DATETIME,
    1115: TYPE_DATETIME,
    1185: TYPE_DATETIME,
    1014: TYPE_STRING,
    1015: TYPE_STRING,
    1008: TYPE_STRING,
    1009: TYPE_STRING,
    2951: TYPE_STRING,
    1043: TYPE_STRING,
    1002: TYPE_STRING,
    1003: TYPE_STRING,
}

# redash/query_runner/pg.py PostgreSQL._get_tables, verbatim (whitespace included)
SCHEMA_QUERY = """
        SELECT s.nspname AS table_schema,
               c.relname AS table_name,
               a.attname AS column_name,
               NULL AS data_type
        FROM pg_class c
        JOIN pg_namespace s
        ON c.relnamespace = s.oid
        AND s.nspname NOT IN ('pg_catalog', 'information_schema')
        JOIN pg_attribute a
        ON a.attrelid = c.oid
        AND a.attnum > 0
        AND NOT a.attisdropped
        WHERE c.relkind = 'm'
        AND has_table_privilege(quote_ident(s.nspname) || '.' || quote_ident(c.relname), 'select')
        AND has_schema_privilege(s.nspname, 'usage')

        UNION

        SELECT table_schema,
               table_name,
               column_name,
               data_type
        FROM information_schema.columns
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        AND has_table_privilege(quote_ident(table_schema) || '.' || quote_ident(table_name), 'select')
        AND has_schema_privilege(table_schema, 'usage')
        """


def _wait(conn, timeout=None):
    # redash/query_runner/pg.py
    while 1:
        try:
            state = conn.poll()
            if state == psycopg2.extensions.POLL_OK:
                break
            elif state == psycopg2.extensions.POLL_WRITE:
                select.select([], [conn.fileno()], [], timeout)
            elif state == psycopg2.extensions.POLL_READ:
                select.select([conn.fileno()], [], [], timeout)
            else:
                raise psycopg2.OperationalError("poll() returned %s" % state)
        except select.error:
            raise psycopg2.OperationalError("select.error received")


def _get_connection():
    # PostgreSQL._get_connection with Redash's default ssl configuration (sslmode=prefer)
    return psycopg2.connect(
        user=os.environ["SEKISHO_USER"],
        password=os.environ["SEKISHO_PASSWORD"],
        host=os.environ["SEKISHO_HOST"],
        port=int(os.environ["SEKISHO_PORT"]),
        dbname="sekisho",
        async_=True,
        sslmode="prefer",
    )


def fetch_columns(columns):
    # redash/query_runner/__init__.py BaseQueryRunner.fetch_columns
    column_names = set()
    duplicates_counters = {}
    new_columns = []
    for col in columns:
        column_name = col[0]
        while column_name in column_names:
            duplicates_counters[col[0]] = duplicates_counters.get(col[0], 1) + 1
            column_name = "{}{}".format(col[0], duplicates_counters[col[0]])
        column_names.add(column_name)
        new_columns.append({"name": column_name, "friendly_name": column_name, "type": col[1]})
    return new_columns


def json_default(value):
    # the conversions of redash/utils/__init__.py JSONEncoder that these results need
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    raise TypeError("cannot serialise %r" % (value,))


def run_query(query):
    """PostgreSQL.run_query: returns (data, error); also the raw type codes and the SQLSTATE."""
    connection = _get_connection()
    _wait(connection, timeout=10)
    cursor = connection.cursor()
    info = {"type_codes": None, "pgcode": None}
    try:
        cursor.execute(query)
        _wait(connection)
        if cursor.description is not None:
            info["type_codes"] = [column[1] for column in cursor.description]
            columns = fetch_columns([(i[0], types_map.get(i[1], None)) for i in cursor.description])
            rows = [dict(zip((column["name"] for column in columns), row)) for row in cursor]
            data = {"columns": columns, "rows": rows}
            error = None
        else:
            error = "Query completed but it returned no data."
            data = None
    except (select.error, OSError):
        error = "Query interrupted. Please retry."
        data = None
    except psycopg2.DatabaseError as e:
        error = str(e)
        info["pgcode"] = e.pgcode
        data = None
    finally:
        connection.close()
    return data, error, info


def full_table_name(schema, name):
    if "." in name:
        name = '"{}"'.format(name)
    return "{}.{}".format(schema, name)


def build_schema(query_result, schema):
    # redash/query_runner/pg.py build_schema
    table_names = set(map(lambda r: full_table_name(r["table_schema"], r["table_name"]), query_result["rows"]))
    for row in query_result["rows"]:
        if row["table_schema"] != "public":
            table_name = full_table_name(row["table_schema"], row["table_name"])
        else:
            if row["table_name"] in table_names:
                table_name = full_table_name(row["table_schema"], row["table_name"])
            else:
                table_name = row["table_name"]
        if table_name not in schema:
            schema[table_name] = {"name": table_name, "columns": []}
        column = row["column_name"]
        if row.get("data_type") is not None:
            column = {"name": row["column_name"], "type": row["data_type"]}
        schema[table_name]["columns"].append(column)


def annotate(query, metadata):
    # BaseQueryRunner.annotate_query
    annotation = ", ".join(["{}: {}".format(k, v) for k, v in metadata.items()])
    return "/* {} */ {}".format(annotation, query)


def step_test_connection():
    data, error, info = run_query("SELECT 1")
    return {"data": data, "error": error, **info}


def step_schema():
    data, error, info = run_query(SCHEMA_QUERY)
    result = {"error": error, **info}
    if error is None:
        schema = {}
        build_schema(data, schema)
        result["row_count"] = len(data["rows"])
        result["columns"] = data["columns"]
        result["schema"] = list(schema.values())
    return result


def step_query(query):
    # apply_auto_limit (the UI's LIMIT 1000 box) appends ' LIMIT 1000' to a SELECT without LIMIT,
    # then the execution job prepends its metadata comment.
    limited = query + " LIMIT 1000"
    metadata = {
        "Username": os.environ["SEKISHO_USER"] + "@example.com",
        "query_id": 42,
        "Queue": "queries",
        "Job ID": "5f1c0e2a",
        "Query Hash": "0a1b2c3d",
        "Scheduled": False,
    }
    sent = annotate(limited, metadata)
    data, error, info = run_query(sent)
    return {"sent": sent, "data": data, "error": error, **info}


def step_cancel(query, delay):
    connection = _get_connection()
    _wait(connection, timeout=10)
    cursor = connection.cursor()
    result = {"cancel_called_after": delay}
    started = time.monotonic()
    cancel_errors = []

    def cancel():
        try:
            connection.cancel()
        except Exception as e:  # reported, not swallowed
            cancel_errors.append("%s: %s" % (type(e).__name__, e))

    timer = threading.Timer(delay, cancel)
    timer.start()
    try:
        cursor.execute(query)
        _wait(connection)
        result["rows"] = cursor.fetchall() if cursor.description is not None else None
        result["error"] = None
    except psycopg2.DatabaseError as e:
        result["exception"] = type(e).__name__
        result["pgcode"] = e.pgcode
        result["error"] = str(e)
    finally:
        result["elapsed"] = time.monotonic() - started
        timer.cancel()
        timer.join()
        connection.close()
    result["cancel_errors"] = cancel_errors
    # Redash opens a new connection for the next query: it must work
    data, error, info = run_query("SELECT 1")
    result["after"] = {"data": data, "error": error}
    return result


def main(argv):
    step = argv[1]
    if step == "test_connection":
        result = step_test_connection()
    elif step == "schema":
        result = step_schema()
    elif step == "query":
        result = step_query(argv[2])
    elif step == "cancel":
        result = step_cancel(argv[2], float(argv[3]))
    else:
        raise SystemExit("unknown step " + step)
    result["psycopg2"] = psycopg2.__version__
    json.dump(result, sys.stdout, default=json_default, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
