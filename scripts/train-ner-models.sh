#!/usr/bin/env bash
# Reproduces the shipped NER models in models/ner/ (see models/ner/README.md) and prints their scores.
# Usage: scripts/train-ner-models.sh [en|es|zh ...]   (default: all three). Needs a release build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="${OUTPOST_DATA:-$ROOT/../shared/data}/ner"
BIN="$ROOT/target/release/outpost"
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release -p outpost-cli)
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(en es zh)
for lang in "${langs[@]}"; do
    case $lang in
        en)
            "$BIN" ner train --lang en --train "$D/conll2003_en/train.conll" --dev "$D/conll2003_en/dev.conll" \
                -o "$ROOT/models/ner/en.bin" --epochs 30 --seeds 6 --patience 6 --clusters 256 \
                --cluster-text "$D/conll2003_en/train.conll" "$D/conll2003_en/dev.conll" \
                "$D/wikiann_en/train.conll" "$D/wikiann_en/dev.conll" "$D/wnut17_en/train.conll" "$D/wnut17_en/dev.conll"
            "$BIN" ner eval --lang en "$D/conll2003_en/test.conll" ;;
        es)
            "$BIN" ner train --lang es --train "$D/conll2002_es/train.conll" --dev "$D/conll2002_es/dev.conll" \
                -o "$ROOT/models/ner/es.bin" --epochs 30 --seeds 6 --patience 6 --clusters 256 \
                --cluster-text "$D/conll2002_es/train.conll" "$D/conll2002_es/dev.conll" \
                "$D/wikiann_es/train.conll" "$D/wikiann_es/dev.conll" \
                --lexicon-from "$D/wikiann_es/train.conll" "$D/wikiann_es/dev.conll"
            "$BIN" ner eval --lang es "$D/conll2002_es/test.conll" ;;
        zh)
            "$BIN" ner train --lang zh --train "$D/cluener2020/train.conll" --dev "$D/cluener2020/dev.conll" \
                -o "$ROOT/models/ner/zh.bin" --epochs 25 --seeds 3 --bits 22
            "$BIN" ner eval --lang zh "$D/cluener2020/dev.conll" ;;
        *) echo "unknown language $lang" >&2; exit 2 ;;
    esac
done
