"""Collection rules for the whole checkout (pytest runs tests/ and the doctests of skw2v/)."""

import os
import shutil

# skw2v/spark.py's doctests start a Spark session, which needs Java; tests/test_spark.py
# skips itself in that case.
collect_ignore = []
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    collect_ignore.append("skw2v/spark.py")
