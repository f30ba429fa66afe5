#!/bin/sh
# Installs what the PyTorch peer benchmark (../shared/peers/torch_bench.py) needs, from Debian packages only:
# PyTorch and the pthread OpenBLAS it should use (without OpenBLAS, PyTorch falls back to the reference BLAS and
# runs ~20x slower on matrix products, which would make the comparison meaningless). Only `npm run bench -- --peer`
# needs this; CI and the tests do not.
set -eu
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread
