"""psqlODBC through unixODBC (pyodbc), as Excel, Power BI or Tableau's ODBC connector drive it.

Usage: psqlodbc_client.py STEP [ARG...], with SEKISHO_ODBC_DRIVER (the psqlodbcw.so path),
SEKISHO_HOST, SEKISHO_PORT, SEKISHO_USER and SEKISHO_PASSWORD in the environment. A DSN-less
connection string with SSLMode=disable; CommLog=1 makes the driver log the SQL it sends, which is
reported (statements only) and the log removed. Prints one JSON object on stdout. Steps:
  query USE_DECLARE_FETCH SQL [PARAM...]   runs SQL (with ? parameters bound as integers)
  tables SCHEMA                            SQLTables(schema=SCHEMA)
  columns SCHEMA TABLE                     SQLColumns
  primary_keys SCHEMA TABLE                SQLPrimaryKeys
  statistics SCHEMA TABLE                  SQLStatistics
"""

import datetime
import decimal
import glob
import json
import os
import re
import sys

import pyodbc


def connection_string(use_declare_fetch):
    parts = {
        "Driver": os.environ["SEKISHO_ODBC_DRIVER"],
        "Server": os.environ["SEKISHO_HOST"],
        "Port": os.environ["SEKISHO_PORT"],
        "Database": "sekisho",
        "Uid": os.environ["SEKISHO_USER"],
        "Pwd": os.environ["SEKISHO_PASSWORD"],
        "SSLMode": "disable",
        "UseDeclareFetch": str(use_declare_fetch),
        "Fetch": "100",
        "CommLog": "1",
    }
    return ";".join("%s=%s" % item for item in parts.items())


def sent_statements():
    """The SQL psqlODBC sent, from its CommLog (which the driver always writes to /tmp)."""
    statements = []
    own = re.compile(r"psqlodbc_.*\D%d\.log$" % os.getpid())
    for path in [p for p in glob.glob("/tmp/psqlodbc_*.log") if own.search(p)]:
        try:
            with open(path, encoding="utf-8", errors="replace") as log:
                for line in log:
                    # PQconnectdbParams lines hold the password: never read them out
                    for marker in ("PQsendQuery: ", "PQsendQueryParams: ", "PQsendPrepare: ", "PQsendQueryPrepared: ", "PQexec: "):
                        if line.startswith(marker):
                            text = line[len(marker):].strip()
                            # "0x1234 'sql'"
                            if " '" in text:
                                text = text.split(" '", 1)[1]
                                text = text[:-1] if text.endswith("'") else text
                            statements.append(text)
        finally:
            os.remove(path)
    return statements


def value(v):
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (datetime.date, datetime.time, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return v


def describe(cursor):
    return [{"name": d[0], "python_type": d[1].__name__} for d in cursor.description]


def fetch(cursor):
    return [[value(v) for v in row] for row in cursor.fetchall()]


def main(argv):
    step = argv[1]
    result = {"pyodbc": pyodbc.version}
    use_declare_fetch = int(argv[2]) if step == "query" else 0
    connection = None
    try:
        # autocommit on, the ODBC default that Excel and Tableau keep
        connection = pyodbc.connect(connection_string(use_declare_fetch), autocommit=True)
        result["driver_version"] = connection.getinfo(pyodbc.SQL_DRIVER_VER)
        cursor = connection.cursor()
        if step == "query":
            cursor.execute(argv[3], *[int(p) for p in argv[4:]])
        elif step == "tables":
            cursor.tables(schema=argv[2])
        elif step == "columns":
            cursor.columns(schema=argv[2], table=argv[3])
        elif step == "primary_keys":
            cursor.primaryKeys(argv[3], schema=argv[2])
        elif step == "statistics":
            cursor.statistics(argv[3], schema=argv[2])
        else:
            raise SystemExit("unknown step " + step)
        result["columns"] = describe(cursor)
        result["rows"] = fetch(cursor)
        result["error"] = None
        cursor.close()
    except pyodbc.Error as e:
        result["error"] = str(e)
    finally:
        if connection is not None:
            connection.close()
        result["sent"] = sent_statements()
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
