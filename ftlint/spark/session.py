"""Where ftlint meets pyspark: the one import of pyspark (lazy, so that ftlint without the
``spark`` extra never pays for it or fails on it), the session a run uses, and the input read as
lines of bytes."""
from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from ftlint.errors import FtlintError, InputError

MISSING = ("the Spark engine needs ftlint[spark], which is not installed: pip install 'ftlint[spark]' "
           "(pyspark; Spark also needs a Java 17+ runtime)")
DEFAULT_MASTER = "local[*]"


class SparkMissing(FtlintError):
    """pyspark or Java is missing (exit code 2, with what to install)."""


def pyspark() -> Any:
    try:
        import pyspark as module
    except ImportError:
        raise SparkMissing(MISSING) from None
    return module


def session(master: str | None = None, config: dict[str, str] | None = None) -> Any:
    """The active Spark session, or one built for ``master`` (default ``local[*]``) with ``config``."""
    pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkMissing("the Spark engine needs a Java 17+ runtime (java on PATH or JAVA_HOME); "
                           "on Debian: apt-get install openjdk-17-jre-headless")
    builder = (SparkSession.builder.appName("ftlint").master(master or DEFAULT_MASTER)
               .config("spark.ui.showConsoleProgress", "false"))
    # the Python workers run this interpreter, where ftlint is installed (pyspark reads the
    # variable when the context starts; spark.pyspark.python is not used for local workers)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - a JVM that does not start is the setup's, not a bug
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SparkMissing(f"Spark did not start ({first}); check the Java runtime (java -version: 17+) "
                           "and --spark-master") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# where the intermediate RDDs are kept (the Spark conf key, and its default)
STORAGE_KEY, STORAGE_DEFAULT = "spark.ftlint.storageLevel", "DISK_ONLY"


def storage(spark: Any) -> Any:
    """Where intermediate results are kept (never recomputed from the input): on disk unless the
    session's ``spark.ftlint.storageLevel`` names another pyspark StorageLevel. Disk by default
    because what is kept is the file itself several times over (its lines, its records, the
    kept records of a split): in the executors' heap it competes with the shuffles, and 1M
    records (806 MB) under local[2] with a 2 GB heap ran out of memory with MEMORY_AND_DISK."""
    from pyspark import StorageLevel

    name = spark.sparkContext.getConf().get(STORAGE_KEY, STORAGE_DEFAULT)
    level = getattr(StorageLevel, name.upper(), None)
    if not isinstance(level, StorageLevel):
        raise InputError(f"{STORAGE_KEY}={name!r} is not a pyspark StorageLevel (e.g. DISK_ONLY, MEMORY_AND_DISK)")
    return level


def is_dataframe(data: Any) -> bool:
    if isinstance(data, (str, os.PathLike)):
        return False
    pyspark()
    from pyspark.sql import DataFrame

    return isinstance(data, DataFrame)


def lines_of(spark: Any, data: Any, name: str) -> Any:
    """An RDD of the lines of ``data`` as bytes, in order, without their line endings (LF or CRLF).
    ``data``: a path (local, s3://, hdfs://: Spark reads it with its Hadoop file systems, and a
    .gz with its codec) or a DataFrame whose one column (or ``value`` column) holds one JSON line
    per row, in the DataFrame's order. The bytes are the file's own: invalid UTF-8 reaches the
    reader as it is (Spark's text source keeps the bytes; a null row is a blank line)."""
    from pyspark.sql import functions as F
    from pyspark.sql.utils import AnalysisException

    if not is_dataframe(data):
        path = os.fspath(data)
        if "://" not in path and os.path.isdir(path):
            raise InputError(f"{name}: a directory; the Spark engine checks one file per path (its line numbers)")
        try:
            data = spark.read.text(path)
        except AnalysisException as exc:
            raise InputError(f"{name}: cannot read: {str(exc).splitlines()[0]}") from None
    columns = data.columns
    column = "value" if "value" in columns else columns[0] if len(columns) == 1 else None
    if column is None:
        raise InputError(f"{name}: a DataFrame of JSON lines has one column (or a 'value' column); "
                         f"this one has {', '.join(columns)}")
    return data.select(F.col(column).cast("binary")).rdd.map(_bytes)


def head_of(spark: Any, data: Any, size: int) -> bytes | None:
    """The first ``size`` bytes of a path (decompressed as Spark reads it), read on the driver
    through the session's Hadoop file system: what the local reader looks at first (binary data,
    a byte order mark, which Spark's text source drops). None for a DataFrame."""
    if is_dataframe(data):
        return None
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(os.fspath(data))
    stream = path.getFileSystem(conf).open(path)
    try:
        codec = jvm.org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(path)
        if codec is not None:
            stream = codec.createInputStream(stream)
        return bytes(stream.readNBytes(size))
    finally:
        stream.close()


def _bytes(row: Any) -> bytes:
    value = row[0]
    return b"" if value is None else bytes(value)


def size_of(spark: Any, data: Any) -> int | None:
    """The size in bytes of a path, as its Hadoop file system reports it (what the local engine
    reads from the file system: FT605); None for a DataFrame, which has no file."""
    if is_dataframe(data):
        return None
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(os.fspath(data))
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return int(fs.getFileStatus(path).getLen())
