#!/usr/bin/env bash
# Install the real tools the tests build environments with, from the package registries:
#   Debian: fish, tcsh, zsh, dash (shells whose activate scripts are sourced)
#   PyPI, into cached venvs under target/tools/ (ignored by git):
#     main/  uv, virtualenv 21.x, pipx, poetry, hatch, pdm, setuptools, hatchling, maturin,
#            ruamel.yaml (the YAML parser conda reads .condarc with)
#     ve20/  virtualenv 20.x (the newest)
#     kernel/ ipykernel (an env `ipykernel install --user` registers)
#     wheels/ setuptools, hatchling and editables wheels, for offline builds by uv (`uv pip install -e`)
# Idempotent: a venv whose tools import is left as it is. Tests that miss a tool skip with a
# printed note; CI runs this first, so CI skips nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${PYDOCTOR_TOOLS:-$PWD/target/tools}
PY=${PYTHON:-python3}

missing=()
for sh in fish tcsh zsh dash; do command -v "$sh" >/dev/null 2>&1 || missing+=("$sh"); done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null) ||
      echo "note: could not install ${missing[*]} with apt-get" >&2
  else
    echo "note: ${missing[*]} missing and no apt-get here" >&2
  fi
fi

venv() { # venv DIR CHECK PACKAGES...
  local dir=$1 check=$2
  shift 2
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$check" >/dev/null 2>&1; then
    return
  fi
  rm -rf "$dir"
  "$PY" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade "$@"
}

# crates.io: every crate of Cargo.lock, also other platforms' (maturin's `cargo metadata` asks for
# them), so the wheel test builds offline.
if command -v cargo >/dev/null 2>&1; then cargo fetch --locked -q; fi

mkdir -p "$TOOLS"
venv "$TOOLS/main" "import uv, virtualenv, pipx, poetry, hatch, pdm, setuptools, hatchling, maturin, ruamel.yaml; assert virtualenv.__version__.startswith('21.'); assert int(setuptools.__version__.split('.')[0]) >= 70" \
  uv "virtualenv>=21,<22" pipx poetry hatch pdm setuptools hatchling maturin ruamel.yaml
venv "$TOOLS/ve20" "import virtualenv; assert virtualenv.__version__.startswith('20.')" "virtualenv>=20,<21"
venv "$TOOLS/kernel" "import ipykernel" ipykernel
if ! ls "$TOOLS"/wheels/setuptools-*.whl "$TOOLS"/wheels/hatchling-*.whl "$TOOLS"/wheels/editables-*.whl >/dev/null 2>&1; then
  "$TOOLS/main/bin/python" -m pip download -q --disable-pip-version-check --only-binary=:all: \
    -d "$TOOLS/wheels" setuptools hatchling editables
fi
echo "tools in $TOOLS: $("$TOOLS/main/bin/python" -m uv --version 2>/dev/null), virtualenv $("$TOOLS/main/bin/python" -c 'import virtualenv; print(virtualenv.__version__)') and $("$TOOLS/ve20/bin/python" -c 'import virtualenv; print(virtualenv.__version__)')"
