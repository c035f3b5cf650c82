#!/usr/bin/env bash
# libtorch set-up for outpost-ner's `transformer` feature (rust-bert 0.23 -> tch 0.17 -> libtorch 2.4.0
# exactly). PyPI only has the CUDA build of torch 2.4.0 for Linux (~2.8 GB download, ~5 GB installed);
# building with LIBTORCH_USE_PYTORCH=1 inside a venv that holds it, and running with LD_LIBRARY_PATH at
# that venv's torch/lib, works.
#
#   scripts/transformer-env.sh setup                 # create the venv, pip install torch 2.4.0 + transformers
#   eval "$(scripts/transformer-env.sh env)"         # exports for cargo build/test --features transformer
#   scripts/transformer-env.sh tiny-checkpoint DIR   # random-weight BERT token classifier in DIR
#   scripts/transformer-env.sh test                  # tiny checkpoint + cargo test --features transformer
#   scripts/transformer-env.sh ci                    # `test`, only when OUTPOST_CI_TRANSFORMER=1
#
# The venv lives in $OUTPOST_TORCH_VENV (default ~/.cache/outpost/torch-2.4.0).
set -euo pipefail

VENV="${OUTPOST_TORCH_VENV:-$HOME/.cache/outpost/torch-2.4.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install --upgrade pip
    "$VENV/bin/pip" install "torch==2.4.0" "transformers==4.44.2" "safetensors>=0.4"
}

exports() {
    local torch_lib
    torch_lib="$("$VENV/bin/python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
    echo "export PATH=\"$VENV/bin:\$PATH\""
    echo "export LIBTORCH_USE_PYTORCH=1"
    echo "export LD_LIBRARY_PATH=\"$torch_lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\""
}

tiny_checkpoint() {
    local dir="$1"
    mkdir -p "$dir"
    "$VENV/bin/python" - "$dir" <<'PY'
import os, sys, torch
from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast
out = sys.argv[1]
torch.manual_seed(0)
specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
words = ["police", "in", "prato", "said", "opened", "a", "station", ".", "otra", "frase", "aqui",
         "##s", "##ing"] + list("福州市公安局在设立站。abcdefghijklmnopqrstuvwxyz")
vocab = specials + list(dict.fromkeys(words))
with open(f"{out}/vocab.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")
labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-GOV", "I-GOV"]
cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                 intermediate_size=37, max_position_embeddings=128,
                 id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
model = BertForTokenClassification(cfg)
model.save_pretrained(out, safe_serialization=True)
# the same vocabulary as a tokenizer.json only, in a sibling folder, to test that path too
alt = out.rstrip("/") + "-tokenizer-json"
os.makedirs(alt, exist_ok=True)
BertTokenizerFast(vocab_file=f"{out}/vocab.txt", do_lower_case=True).save_pretrained(alt)
model.save_pretrained(alt, safe_serialization=True)
os.remove(f"{alt}/vocab.txt")
print(f"tiny checkpoint written to {out}")
PY
}

run_tests() {
    eval "$(exports)"
    local dir
    dir="$(mktemp -d)"
    tiny_checkpoint "$dir"
    (cd "$ROOT" && OUTPOST_TINY_BERT="$dir" cargo test -p outpost-ner --features transformer)
    rm -rf "$dir" "$dir-tokenizer-json"
}

case "${1:-help}" in
    setup) setup ;;
    env) exports ;;
    tiny-checkpoint) tiny_checkpoint "${2:?usage: $0 tiny-checkpoint DIR}" ;;
    test) run_tests ;;
    ci)
        if [ "${OUTPOST_CI_TRANSFORMER:-0}" = "1" ]; then
            [ -x "$VENV/bin/python" ] || setup
            run_tests
        else
            echo "OUTPOST_CI_TRANSFORMER != 1: skipping the transformer tests"
        fi
        ;;
    *) sed -n '2,14p' "$0" ;;
esac
