"""Runs the differential corpus through psycopg2 (libpq, simple Query protocol, autocommit) against
one server and prints what it answered, one JSON object per statement, for TestPostgresFidelity.

Usage: differential.py STATEMENTS_JSON, with SEKISHO_HOST, SEKISHO_PORT, SEKISHO_USER,
SEKISHO_PASSWORD and SEKISHO_DATABASE in the environment. STATEMENTS_JSON is a file holding a JSON
list of SQL texts. Values are what psycopg2 makes of them (its own type casters: Decimal,
datetime, bool, ...) printed with str(), so that a value a client cannot parse as PostgreSQL's
shows up as a difference; column names and type OIDs come from cursor.description, an error's
SQLSTATE from pgcode.
"""

import json
import os
import sys

import psycopg2
import psycopg2.extensions


def text(value):
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join("NULL" if v is None else text(v) for v in value) + "]"
    if isinstance(value, memoryview):
        return bytes(value).hex()
    return str(value)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        statements = json.load(f)
    connection = psycopg2.connect(
        host=os.environ["SEKISHO_HOST"],
        port=int(os.environ["SEKISHO_PORT"]),
        user=os.environ["SEKISHO_USER"],
        password=os.environ.get("SEKISHO_PASSWORD", ""),
        dbname=os.environ["SEKISHO_DATABASE"],
        sslmode="disable",
    )
    connection.autocommit = True
    results = []
    for sql in statements:
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                if cursor.description is None:
                    results.append({"names": [], "types": [], "rows": []})
                    continue
                rows = [[text(v) for v in row] for row in cursor.fetchall()]
                results.append({
                    "names": [d.name for d in cursor.description],
                    "types": [str(d.type_code) for d in cursor.description],
                    "rows": rows,
                })
        except psycopg2.Error as e:
            results.append({"error": e.pgcode or "", "message": (e.pgerror or str(e)).strip()})
            if connection.closed:
                connection = psycopg2.connect(
                    host=os.environ["SEKISHO_HOST"], port=int(os.environ["SEKISHO_PORT"]), user=os.environ["SEKISHO_USER"],
                    password=os.environ.get("SEKISHO_PASSWORD", ""), dbname=os.environ["SEKISHO_DATABASE"], sslmode="disable")
                connection.autocommit = True
                results[-1]["lost_connection"] = True
    connection.close()
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
