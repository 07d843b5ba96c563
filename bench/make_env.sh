#!/usr/bin/env bash
# bench/make_env.sh PYTHON DIR N: a venv at DIR made by PYTHON with N console scripts in bin/
# (N-3 made by pip's distlib, as pip makes them, plus the venv's own three).
set -euo pipefail
"$1" -m venv "$2"
"$2/bin/python" - "$2" "$3" <<'PYEOF'
import os, sys
from pip._vendor.distlib.scripts import ScriptMaker
env, n = sys.argv[1], int(sys.argv[2])
m = ScriptMaker(None, os.path.join(env, "bin"), add_launchers=False)
m.clobber = True
m.variants = {""}
m.make_multiple(["tool%05d = json.tool:main" % i for i in range(n - 3)])
PYEOF
