#!/usr/bin/env bash
# Runs on the lent GPU machine, from the repository root, with .gpu-carry carried along:
#   bash .gpu-carry/run-on-device.sh train --preset paper-main --device gpu --out $OUT/paper-main
set -euo pipefail
C=.gpu-carry
[[ -d $C/jre ]] || tar -C $C -xzf $C/jre.tgz
TORCH_LIB=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
TORCH_VER=$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')
CUDA_TAG=$(python3 -c 'import torch; v=torch.version.cuda or ""; print("cu"+v.replace(".","")[:3] if v else "cpu")')
ABI=$(python3 -c 'import torch; print("" if torch.compiled_with_cxx11_abi() else "-precxx11")')
export PYTORCH_LIBRARY_PATH=$TORCH_LIB PYTORCH_VERSION=$TORCH_VER PYTORCH_FLAVOR=$CUDA_TAG$ABI
export LD_LIBRARY_PATH=$TORCH_LIB:${LD_LIBRARY_PATH:-}
echo "libtorch $TORCH_VER flavour $PYTORCH_FLAVOR at $TORCH_LIB" >&2
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
exec $C/jre/bin/java -Djava.awt.headless=true -Dai.djl.offline=true -Dcoop.home="$PWD" \
  -cp "$C/lib/*" coopetition.app.Coop "$@"
