#!/usr/bin/env bash
# Installs the PyTorch peer for `./coop bench train` (Debian/Ubuntu packages, CPU only) when missing.
set -euo pipefail
if python3 -c 'import torch' 2>/dev/null; then
  echo "python3 already has torch $(python3 -c 'import torch; print(torch.__version__)')"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y python3-torch libopenblas0-openmp
python3 -c 'import torch; print("installed torch", torch.__version__)'
