"""Collection rules for the whole checkout (pytest runs tests/ and the doctests of skw2v/)."""

import importlib.util
import os
import shutil

collect_ignore = []
# The doctests of the optional front ends need their extras ("[dask]", "[spark]"), which the
# "[test]" extra installs; without them pytest would fail to import the modules at collection.
if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
    collect_ignore.append("skw2v/dask.py")
# skw2v/spark.py's doctests start a Spark session, which needs pyspark and Java;
# tests/test_spark.py skips itself only when Java is absent.
if (importlib.util.find_spec("pyspark") is None
        or (shutil.which("java") is None and not os.environ.get("JAVA_HOME"))):
    collect_ignore.append("skw2v/spark.py")
