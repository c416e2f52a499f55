"""A recording checked in N shards on Apache Spark, then merged.

In: the checker binary (`target/release/xtask`, built by any `cargo xtask conformance ...`), the
project folder it runs in, a recording every Spark worker can read at the same path, N, and a
folder for the shard reports. Out: one JSON report per shard
(`conformance recorded --shard I/N --format json`), written by the driver as
`shard-I-of-N.json`, and their merge (`conformance merge`) printed on standard output.

Each of the N partitions holds one shard number and runs the binary on its own byte range of
the file, so no worker parses another's part (see conformance/src/recorded/shard.rs). Two ways,
the same result:

- `--mode map-partitions`: `mapPartitions` calls the binary once per partition and hands its
  report back as one string.
- `--mode pipe`: `RDD.pipe` writes each partition's shard number to a small shell command that
  runs the binary; the reports come back as lines, cut apart where a report starts.

Exit code: the merge's (0 when every finding is known and every line was readable, 1 otherwise),
2 when a shard or the merge could not run.

    .ci/validators/venv/bin/python conformance/spark/recorded_shards.py \\
        --checker target/release/xtask --project . --shards 4 --reports /tmp/shards \\
        traffic.jsonl
"""

import argparse
import os
import shlex
import subprocess
import sys


def shard_command(checker, recording, index, count):
    return [
        checker, "conformance", "recorded", "--shard", f"{index}/{count}",
        "--format", "json", recording,
    ]


def run_shards_with_map_partitions(context, checker, project, recording, count):
    def run_partition(shard_numbers):
        for index in shard_numbers:
            done = subprocess.run(
                shard_command(checker, recording, index, count),
                cwd=project, capture_output=True, text=True,
            )
            yield index, done.returncode, done.stdout, done.stderr

    shards = context.parallelize(range(1, count + 1), count)
    return [
        (index, code, report, said)
        for index, code, report, said in shards.mapPartitions(run_partition).collect()
    ]


def run_shards_with_pipe(context, checker, project, recording, count):
    # The shard number arrives on standard input; a failed shard prints a line that is no JSON,
    # and the merge then refuses the incomplete set.
    script = (
        'read index; cd "$1" && "$2" conformance recorded --shard "$index/$3" '
        '--format json "$4" 2>/dev/null; '
        'code=$?; [ $code -le 1 ] || echo "shard $index failed with exit code $code"'
    )
    command = ["sh", "-c", script, "sh", project, checker, str(count), recording]
    lines = context.parallelize([str(index) for index in range(1, count + 1)], count) \
        .pipe(shlex.join(command)).collect()
    reports, current = [], []
    for line in lines:
        if line == "{" and current:
            reports.append("\n".join(current) + "\n")
            current = []
        current.append(line)
    if current:
        reports.append("\n".join(current) + "\n")
    return [(index, 0, report, "") for index, report in enumerate(reports, start=1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checker", required=True, help="the xtask binary with the checker")
    parser.add_argument("--project", required=True, help="the project folder it runs in")
    parser.add_argument("--shards", type=int, default=4, help="how many shards (partitions)")
    parser.add_argument("--reports", required=True, help="folder for the shard reports")
    parser.add_argument("--mode", choices=["map-partitions", "pipe"], default="map-partitions")
    parser.add_argument("recording", help="the recording, at the same path on every worker")
    arguments = parser.parse_args()
    checker = os.path.abspath(arguments.checker)
    project = os.path.abspath(arguments.project)
    recording = os.path.abspath(arguments.recording)

    # Spark's workers run this same Python; everything stays on this machine.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{arguments.shards}]")
        .appName("conformance recorded shards")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        run = {
            "map-partitions": run_shards_with_map_partitions,
            "pipe": run_shards_with_pipe,
        }[arguments.mode]
        results = run(spark.sparkContext, checker, project, recording, arguments.shards)
    finally:
        spark.stop()

    os.makedirs(arguments.reports, exist_ok=True)
    paths = []
    for index, code, report, said in sorted(results):
        if code not in (0, 1):
            sys.stderr.write(f"error: shard {index} exited with {code}:\n{said}")
            return 2
        path = os.path.join(arguments.reports, f"shard-{index}-of-{arguments.shards}.json")
        with open(path, "w", encoding="utf-8") as file:
            file.write(report)
        paths.append(path)
    merged = subprocess.run(
        [checker, "conformance", "merge", "--format", "json", *paths], cwd=project,
    )
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
