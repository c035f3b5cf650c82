#!/usr/bin/env bash
# Integration test of examples/spark: pyspark from PyPI in a venv, Java 17, master local[2], three
# generated JSONL shards with bad lines planted; checks every input id comes back exactly once and
# every bad line as one error line. Fails loudly when pyspark or Java is missing.
#   bash examples/spark/test.sh            (venv cached in target/spark-venv; OUTPOST_SPARK_VENV overrides)
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
venv="${OUTPOST_SPARK_VENV:-target/spark-venv}"
bin="${OUTPOST_BIN:-target/debug/outpost}"

command -v java >/dev/null || { echo "spark test: java not found (Java 17 needed)" >&2; exit 1; }
java -version 2>&1 | head -1
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
    echo "spark test: installing pyspark into $venv (from PyPI)"
    rm -rf "$venv"
    python3 -m venv "$venv" || { echo "spark test: cannot create a venv (python3-venv missing?)" >&2; exit 1; }
    "$venv/bin/pip" install -q --disable-pip-version-check pyspark \
        || { echo "spark test: pip install pyspark FAILED" >&2; exit 1; }
fi
echo "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)') ($(( $(date +%s) - start ))s so far)"
[ -x "$bin" ] || cargo build -q -p outpost-cli
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/shards"
for k in 1 2 3; do
    "$bin" corpus generate --size 60kB --rate 0.1 --seed "$k" -o "$work/gen$k.jsonl" 2>/dev/null
done
# Bad lines in the middle of shard 2 and at the end of shard 3: 3 error lines expected.
cp "$work/gen1.jsonl" "$work/shards/part1.jsonl"
{ head -n 10 "$work/gen2.jsonl"; echo 'not json {'; echo '{"id":"no-text-field"}'; tail -n +11 "$work/gen2.jsonl"; } > "$work/shards/part2.jsonl"
{ cat "$work/gen3.jsonl"; echo '[1,2,3]'; } > "$work/shards/part3.jsonl"

export PYSPARK_PYTHON="$venv/bin/python"
"$venv/bin/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false \
    --files "$bin" examples/spark/outpost_spark.py \
    --input "$work/shards/*.jsonl" --output "$work/out" --models "$PWD/models" --partitions 4 \
    2> "$work/spark.log" || { tail -n 40 "$work/spark.log" >&2; echo "spark test: spark-submit FAILED" >&2; exit 1; }
"$venv/bin/python" examples/spark/check_output.py "$work/shards" "$work/out" 3
echo "spark test: ok in $(( $(date +%s) - start ))s"
