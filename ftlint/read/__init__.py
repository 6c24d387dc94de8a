"""The first step of the data flow: bytes to records. Where a file's bytes come from (local,
standard input, ``s3://``, a CSV/Parquet table), how each line becomes a record or a stage
problem (the fast orjson path and the slow diagnosis of a line that is not JSON), and where a
value sits in its line (the column a finding points at); lines.py parses a chunk of lines, the
unit both the local reader and the Spark engine's partitions use. The next step is ftlint.formats."""
