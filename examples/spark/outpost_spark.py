"""Run outpost over sharded JSON Lines with PySpark: each partition is piped through
`outpost run --stdin --stdout` (stream mode: one JSON line out per input record, in order).

    spark-submit --master yarn --files target/release/outpost --archives models.tar.gz#models \
        examples/spark/outpost_spark.py --input 'hdfs:///news/shards/*.jsonl' --output hdfs:///news/outpost

Output: text part files, one JSON line per input record:
`{"id", "lang", "relevance", "records", "candidates", "error": null}` or `{"id", "error": {...}}`.
See README.md in this folder.
"""

import argparse
import shlex

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def outpost_command(binary: str, models: str, jobs: int, extra: str) -> str:
    """The command each partition is piped through. `chmod` first: --files does not always keep
    the executable bit."""
    run = (
        f"chmod +x {shlex.quote(binary)} 2>/dev/null; exec {shlex.quote(binary)} run "
        f"--stdin --stdout --no-progress --jobs {jobs} --models {shlex.quote(models)} {extra}"
    )
    return "sh -c " + shlex.quote(run)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, help="JSON Lines file, directory or glob (any Hadoop path)")
    ap.add_argument("--output", required=True, help="output directory (must not exist)")
    ap.add_argument(
        "--binary",
        help="outpost binary as seen by the executors (default: the file shipped with "
        "--files: SparkFiles in local mode, ./outpost in the executor's directory otherwise)",
    )
    ap.add_argument("--models", default="models", help="models directory as seen by the executors (default: ./models, e.g. from --archives models.tar.gz#models)")
    ap.add_argument("--jobs", type=int, default=1, help="threads per outpost process (default 1: Spark runs one task per core)")
    ap.add_argument("--partitions", type=int, default=0, help="minimum input partitions (default: Spark's)")
    ap.add_argument("--extra", default="", help="more `outpost run` options, e.g. '--text-field body'")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("outpost").getOrCreate()
    sc = spark.sparkContext
    binary = args.binary
    if binary is None:
        binary = SparkFiles.get("outpost") if sc.master.startswith("local") else "./outpost"
    lines = sc.textFile(args.input, minPartitions=args.partitions or None)
    out = lines.pipe(outpost_command(binary, args.models, args.jobs, args.extra), checkCode=True)
    out.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
