#!/usr/bin/env bash
# One lent-GPU session, run from the repo root through the device tool (it sets $OUT):
#   1. editor speed against diffusers at 512 px, 20 steps, fp16 (SD1.5-shaped random weights)
#   2. the DialogPaint-Tiny recipe, gpu preset, with the text cache built on the CPU machine
#      (carried in .device/gpuwork; the GPU image lacks the MiniLM package) and diffusers as a wheel (.whl)
# Every stage has a timeout so that whatever finished comes back.
set -uo pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=$PWD/src:/tmp/site PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch, diffusers, transformers; print(torch.__version__, diffusers.__version__, transformers.__version__)" | tee -a "$OUT/gpu.txt"
timeout "${BENCH_S:-150}" python3 benchmarks/editor_speed.py --device cuda --only sd15 --size 512 --steps 20 --runs 5 \
  --json "$OUT/bench-gpu.json" 2>&1 | grep -v -i warn | tail -6
mkdir -p /tmp/work && cp -r .device/gpuwork/. /tmp/work/
timeout "${TRAIN_S:-420}" python3 -c "from dialogpaint.cli import main; main()" train tiny --preset gpu --work /tmp/work \
  --out /tmp/model --vae-budget "${VAE_S:-100}" --editor-budget "${EDITOR_S:-210}" 2>&1 | tr '\r' '\n' | grep -v -E "it/s\]$|s/it\]$" | tail -25
cd /tmp/model 2>/dev/null && split -b 15M unet/diffusion_pytorch_model.safetensors "$OUT/unet.part-" \
  && tar cf "$OUT/model-rest.tar" --exclude unet/diffusion_pytorch_model.safetensors --exclude tokenizer . 
cd /tmp/work && tar cf "$OUT/logs.tar" vae-log.jsonl vae-metrics.json editor/train-log.jsonl 2>/dev/null
ls -la "$OUT"
