#!/usr/bin/env bash
# Browser test of the review page: installs Debian's chromium (if missing) and playwright-core
# (npm ci, no browser download), builds the pages with the outpost binary, runs the test with
# node's test runner. Screenshots, decisions and timings go to $OUTPOST_ARTEFACTS
# (default target/browser-artefacts).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ART=${OUTPOST_ARTEFACTS:-$ROOT/target/browser-artefacts}
PAGES="$ART/pages"
mkdir -p "$PAGES"

# Chromium, plus CJK and emoji fonts so the screenshots show the articles' scripts.
if ! [ -x /usr/bin/chromium ] || ! [ -d /usr/share/fonts/opentype/noto ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji >/dev/null
fi
(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)

cd "$ROOT"
cargo build -q --release -p outpost-cli
cargo build -q --release -p outpost-review --example fixture
OUTPOST="$ROOT/target/release/outpost"
FIXTURE="$ROOT/target/release/examples/fixture"

# The sample page comes from a real run over corpora/sample. While the pipeline finds fewer than
# two records there (the accept + reject steps need two), the mixed fixture stands in, loudly.
rm -rf "$ART/sample-run" "$ART/hostile-run" "$ART/big-run"
if "$OUTPOST" run --help >/dev/null 2>&1 && [ -d "$ROOT/corpora/sample" ]; then
  "$OUTPOST" run "$ROOT/corpora/sample" -o "$ART/sample-run"
fi
n=0
if [ -f "$ART/sample-run/candidates.jsonl" ]; then
  n=$(grep -c . "$ART/sample-run/candidates.jsonl" || true)
fi
if [ "$n" -lt 2 ]; then
  echo "notice: the sample run gave $n records (< 2); the sample page uses the mixed fixture instead"
  rm -rf "$ART/sample-run"
  "$FIXTURE" mixed "$ART/sample-run"
fi
"$FIXTURE" hostile "$ART/hostile-run"
"$FIXTURE" synthetic "$ART/big-run" 10000
"$OUTPOST" review "$ART/sample-run" -o "$PAGES/sample.html"
"$OUTPOST" review "$ART/hostile-run" -o "$PAGES/hostile.html"
"$OUTPOST" review "$ART/big-run" -o "$PAGES/big.html"
# Linked stations in the shape `outpost link` writes (station id, canonical fields, sources).
cat > "$ART/stations.jsonl" <<'JSON'
{"station_id":"st-nl-rotterdam","confidence":0.93,"country":"NL","city":{"as_written":"鹿特丹","name_en":"Rotterdam","lat":51.922,"lon":4.479},"bureau":{"as_written":"福州市公安局","canonical":"Fuzhou"},"known":true,"sources":[{"article_id":"a1","evidence":[{"text":"福州市公安局在鹿特丹设立了服务站。","start":0,"end":17}]}]}
{"station_id":"st-es-madrid","confidence":0.71,"country":"ES","city":{"as_written":"Madrid","name_en":"Madrid","lat":40.417,"lon":-3.704},"known":false,"sources":[{"article_id":"a2","evidence":[{"text":"Una comisaría china operaba en Madrid <script>window.__pwned=1</script>.","start":0,"end":70}]}]}
JSON
"$OUTPOST" review --stations "$ART/stations.jsonl" -o "$PAGES/stations.html"

cd "$HERE"
OUTPOST_PAGES="$PAGES" OUTPOST_ARTEFACTS="$ART" node --test --test-reporter=spec review.test.mjs
echo "artefacts: $ART"
