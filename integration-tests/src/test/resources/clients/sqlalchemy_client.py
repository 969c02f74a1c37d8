"""SQLAlchemy with psycopg2 (postgresql+psycopg2://), as a Jupyter notebook or Superset uses it.

Usage: sqlalchemy_client.py STEP, with SEKISHO_HOST, SEKISHO_PORT, SEKISHO_USER and
SEKISHO_PASSWORD in the environment. Prints one JSON object on stdout. Steps:
  query      engine connect (the dialect's first-connect probes), pre-ping, a query with a bound parameter
  inspect    Inspector: schema names, table names, columns and primary key of shop.customers
"""

import datetime
import decimal
import json
import os
import sys

import sqlalchemy
from sqlalchemy.engine import URL


def engine():
    url = URL.create(
        "postgresql+psycopg2",
        username=os.environ["SEKISHO_USER"],
        password=os.environ["SEKISHO_PASSWORD"],
        host=os.environ["SEKISHO_HOST"],
        port=int(os.environ["SEKISHO_PORT"]),
        database="sekisho",
    )
    return sqlalchemy.create_engine(url, pool_pre_ping=True)


def json_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    raise TypeError("cannot serialise %r" % (value,))


def attempt(result, key, function):
    try:
        result[key] = function()
    except Exception as e:  # reported per call, so one gap does not hide the others
        result[key + "_error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0])


def main(argv):
    result = {"sqlalchemy": sqlalchemy.__version__}
    e = engine()
    with e.connect() as connection:
        result["server_version_info"] = list(e.dialect.server_version_info)
        if argv[1] == "query":
            rows = connection.execute(
                sqlalchemy.text("select id, name, birth_date, created_at from shop.customers where id <= :n order by id"),
                {"n": 5},
            ).fetchall()
            result["rows"] = [list(row) for row in rows]
        elif argv[1] == "inspect":
            inspector = sqlalchemy.inspect(connection)
            attempt(result, "schemas", inspector.get_schema_names)
            attempt(result, "tables", lambda: inspector.get_table_names(schema="shop"))
            attempt(result, "columns", lambda: [
                [column["name"], str(column["type"]), column["nullable"]] for column in inspector.get_columns("customers", schema="shop")])
            attempt(result, "primary_key", lambda: inspector.get_pk_constraint("customers", schema="shop")["constrained_columns"])
        else:
            raise SystemExit("unknown step " + argv[1])
    e.dispose()
    json.dump(result, sys.stdout, default=json_default, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
