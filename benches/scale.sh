#!/usr/bin/env bash
# Scale benchmark of `outpost run` (release build): generates synthetic JSONL corpora of 100 MB and
# 1 GB once (cached under target/scale/, `outpost corpus generate --seed 1 --rate 0.02`), runs the
# whole pipeline over each with --jobs 1 and --jobs 2 (under nice), and prints MB/s, articles/s, peak
# RSS (/usr/bin/time -v), recall of the planted reports, the 2-thread/1-thread speed ratio and the
# peak RSS ratio of the largest to the smallest corpus.
#   bash benches/scale.sh                      (all: 100MB and 1GB, jobs 1 and 2)
#   OUTPOST_SCALE_SIZES="100MB" OUTPOST_SCALE_JOBS="1 2" bash benches/scale.sh
#   OUTPOST_SCALE_RATE=0.001 bash benches/scale.sh   (planted station reports per article; default 0.02)
#   OUTPOST_SCALE_POLICE=0.008 bash benches/scale.sh  (articles with a sentence of ordinary police
#       news, which pass the pre-filter on the bureau name but are not relevant; default 0)
#   bash benches/scale.sh --report             (the table of the runs recorded so far, nothing run)
# MB/s and articles/s count the run's own time (manifest timings: reading, pipeline, writing);
# "wall" adds process start and model loading. "MB/CPU-s" divides by the process's user + system CPU
# time (all its threads, model loading included): a per-core figure that holds on a loaded machine.
# "pass %" is the share of articles the pre-filter let through to the recognizers.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${OUTPOST_SCALE_SIZES:-100MB 1GB}"
jobs_list="${OUTPOST_SCALE_JOBS:-1 2}"
rate="${OUTPOST_SCALE_RATE:-0.02}"
police="${OUTPOST_SCALE_POLICE:-0}"
dir=target/scale
mkdir -p "$dir"
[ "${1:-}" = "--report" ] || [ -x /usr/bin/time ] || { echo "scale: /usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 1; }
[ "${1:-}" = "--report" ] || cargo build --release -q -p outpost-cli
bin=target/release/outpost
results="$dir/results.tsv"
report_only=false
[ "${1:-}" = "--report" ] && report_only=true
$report_only || : > "$results"
for size in $sizes; do
    $report_only && break
    corpus="$dir/corpus-$size.jsonl"
    [ "$rate" = "0.02" ] || corpus="$dir/corpus-$size-r$rate.jsonl"
    [ "$police" = "0" ] || corpus="${corpus%.jsonl}-p$police.jsonl"
    if [ ! -s "$corpus" ] || [ ! -s "$corpus.planted.jsonl" ]; then
        "$bin" corpus generate --size "$size" --seed 1 --rate "$rate" --police-rate "$police" -o "$corpus"
    fi
    for j in $jobs_list; do
        out="$dir/out-$size-j$j"
        rm -rf "$out"
        echo "scale: $size, --jobs $j ..." >&2
        /usr/bin/time -v nice -n 10 "$bin" run --no-progress --jobs "$j" -o "$out" "$corpus" 2> "$dir/log-$size-j$j.txt" \
            || { tail -n 30 "$dir/log-$size-j$j.txt" >&2; exit 1; }
        printf '%s\t%s\t%s\t%s\n' "$size" "$j" "$corpus" "$out" >> "$results"
    done
done
python3 - "$results" <<'PY'
import json, os, re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
table = []
for size, jobs, corpus, out in rows:
    m = json.load(open(os.path.join(out, "manifest.json")))
    log = open(os.path.join(os.path.dirname(out), f"log-{size}-j{jobs}.txt")).read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", log).group(1)
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", log).group(1)) for k in ("User", "System"))
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    planted = {json.loads(l)["id"] for l in open(corpus + ".planted.jsonl")}
    found = set()
    for l in open(os.path.join(out, "articles.jsonl")):
        a = json.loads(l)
        if a["id"] in planted and (a.get("relevance", 0) >= 0.5 or a.get("records", 0) > 0):
            found.add(a["id"])
    t = m["timings"]["seconds"]
    mb = os.path.getsize(corpus) / 1e6
    table.append(dict(size=size, jobs=int(jobs), mb=mb, articles=m["counts"]["read"], run_s=t, wall_s=secs,
                      mbps=mb / t, cpu_mbps=mb / max(cpu, 1e-9), aps=m["counts"]["read"] / t, rss=rss_kb / 1024,
                      passed=100.0 * (1 - m["counts"].get("screened_out", 0) / max(1, m["counts"]["read"])),
                      recall=len(found) / max(1, len(planted)), planted=len(planted)))
print(f"{'corpus':>8} {'jobs':>4} {'MB':>8} {'articles':>9} {'pass %':>6} {'run s':>8} {'wall s':>8} {'MB/s':>7} {'MB/CPU-s':>8} {'art/s':>8} {'peak RSS MB':>11} {'planted recall':>15}")
for r in table:
    print(f"{r['size']:>8} {r['jobs']:>4} {r['mb']:>8.1f} {r['articles']:>9} {r['passed']:>6.2f} {r['run_s']:>8.1f} {r['wall_s']:>8.1f} {r['mbps']:>7.2f} {r['cpu_mbps']:>8.2f} {r['aps']:>8.0f} {r['rss']:>11.0f} {r['recall']:>9.3f} of {r['planted']}")
by = {(r["size"], r["jobs"]): r for r in table}
for size in dict.fromkeys(r["size"] for r in table):
    if (size, 1) in by and (size, 2) in by:
        print(f"{size}: 2-thread / 1-thread speed = {by[(size, 2)]['mbps'] / by[(size, 1)]['mbps']:.2f}x")
sizes = list(dict.fromkeys(r["size"] for r in table))
if len(sizes) > 1:
    for j in sorted({r["jobs"] for r in table}):
        if (sizes[0], j) in by and (sizes[-1], j) in by:
            print(f"--jobs {j}: peak RSS {sizes[-1]} / {sizes[0]} = {by[(sizes[-1], j)]['rss'] / by[(sizes[0], j)]['rss']:.2f}")
PY
