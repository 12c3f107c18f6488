#!/usr/bin/env bash
# Installs the PyTorch peer for `./coop bench train` (Debian/Ubuntu packages, CPU only) when missing.
set -euo pipefail
# Debian's package installs into the system interpreter, which may not be the first python3 on PATH.
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import torch' 2>/dev/null; then
    echo "$py already has torch $("$py" -c 'import torch; print(torch.__version__)')"
    exit 0
  fi
done
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y python3-torch libopenblas0-openmp
/usr/bin/python3 -c 'import torch; print("installed torch", torch.__version__)'
