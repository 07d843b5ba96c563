"""Crash safety at scale: SIGKILL pydoctor at random moments across its run and check, after
each kill, that every file it may touch is whole (its old or its new bytes, same mode), that
the next run completes, and that no temp file remains.

Usage: python3 bench/kill.py [--rounds N] [--scripts N] [--only CMD...] BIN
CMDs: fix-shebang, fix, undo, apply. Works in a temp folder (tmpfs where /dev/shm exists).
Prints one line per command: rounds, kills that landed mid-run, corrupted files, leftovers.
"""
import argparse
import hashlib
import http.server
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def state(root):
    """Every regular file under root (but pydoctor's own folder): relative path -> (hash, mode)."""
    out = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != ".pydoctor"]
        for name in files:
            if name.startswith(".pydoctor-") and name.endswith(".tmp"):
                continue  # a killed run's temp files: the next run removes them (counted apart)
            p = os.path.join(d, name)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                out[os.path.relpath(p, root)] = (digest(p), stat.S_IMODE(st.st_mode))
    return out


def temps(root):
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files
            if f.startswith(".pydoctor-") and f.endswith(".tmp")]


def run(cmd, env=None):
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def kill_during(cmd, at, env=None):
    """Start cmd, SIGKILL it after `at` seconds; True when it was still running."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(at)
    alive = p.poll() is None
    if alive:
        p.send_signal(signal.SIGKILL)
    p.wait()
    return alive


def make_env(work, scripts):
    old = os.path.join(work, "mnt/glusterfs101/envs/qwen")
    new = os.path.join(work, "mnt/glusterfs/envs/qwen")
    subprocess.run([sys.executable, "-m", "venv", old], check=True)
    code = (
        "import os, sys\n"
        "from pip._vendor.distlib.scripts import ScriptMaker\n"
        "m = ScriptMaker(None, os.path.join(sys.argv[1], 'bin'), add_launchers=False)\n"
        "m.clobber = True\nm.variants = {''}\n"
        "m.make_multiple(['tool%04d = json.tool:main' % i for i in range(int(sys.argv[2]))])\n"
    )
    subprocess.run([os.path.join(old, "bin/python"), "-c", code, old, str(scripts)], check=True)
    os.makedirs(os.path.dirname(new), exist_ok=True)
    os.rename(old, new)
    return new


def fresh(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)


def check_whole(now, allowed, label):
    """Files whose (hash, mode) is in none of the allowed states."""
    bad = [rel for rel, h in now.items() if not any(s.get(rel) == h for s in allowed)]
    for rel in bad[:3]:
        print(f"  corrupted ({label}): {rel}", file=sys.stderr)
    return len(bad)


def timed(cmd, env=None):
    t0 = time.monotonic()
    run(cmd, env)
    return time.monotonic() - t0


def env_rounds(bin_, pristine, work, args, rounds, undo):
    """fix-shebang / fix / fix --undo on copies of one broken env."""
    env = os.path.join(work, "env")
    fresh(pristine, env)
    run([bin_] + args[:1] + [env])
    fixed = state(env)
    fresh(pristine, env)
    broken = state(env)
    if undo:
        run([bin_] + args[:1] + [env])
        fixed_with_journal = os.path.join(work, "fixed-journal")
        fresh(env, fixed_with_journal)
    cmd = [bin_] + args + [env]
    base = fixed_with_journal if undo else pristine
    fresh(base, env)
    duration = timed(cmd)
    landed = corrupted = leftovers = incomplete = 0
    for _ in range(rounds):
        fresh(base, env)
        if kill_during(cmd, random.uniform(0, duration * 1.3)):
            landed += 1
        corrupted += check_whole(state(env), [broken, fixed], " ".join(args))
        # The next run finishes the job (undo may need its journal once more).
        for _ in range(3):
            r = run(cmd)
            if r.returncode == 0:
                break
        want = broken if undo else fixed
        if state(env) != want:
            incomplete += 1
        leftovers += len(temps(env))
    return landed, corrupted, incomplete, leftovers


class Index(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        body = b'<html><body><a href="/f/pip-24.0.tar.gz">pip-24.0.tar.gz</a></body></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a killed client closes its connection mid-answer: expected here


def apply_rounds(bin_, work, rounds):
    """mirrors --apply against a loopback index, killed mid-write."""
    srv = Server(("127.0.0.1", 0), Index)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/simple"
    home = os.path.join(work, "home")
    conf = os.path.join(home, ".config/pip")
    uvd = os.path.join(home, ".config/uv")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               NO_PROXY="127.0.0.1")
    env.pop("PIP_CONFIG_FILE", None)
    env.pop("PIP_INDEX_URL", None)
    old_pip = "# mine\n[global]\nindex-url = https://old.example/simple\ntimeout = 5\n"
    old_uv = "native-tls = true\n"
    cmd = [bin_, "mirrors", "--apply", "loop", "--mirror", f"loop={url}", "--timeout", "3"]

    def reset():
        if os.path.exists(home):
            shutil.rmtree(home)
        os.makedirs(conf)
        os.makedirs(uvd)
        with open(os.path.join(conf, "pip.conf"), "w") as f:
            f.write(old_pip)
        os.chmod(os.path.join(conf, "pip.conf"), 0o600)
        with open(os.path.join(uvd, "uv.toml"), "w") as f:
            f.write(old_uv)

    reset()
    duration = timed(cmd, env)
    new_pip = open(os.path.join(conf, "pip.conf")).read()
    new_uv = open(os.path.join(uvd, "uv.toml")).read()
    landed = corrupted = leftovers = incomplete = 0
    for _ in range(rounds):
        reset()
        if kill_during(cmd, random.uniform(0, duration * 1.3), env):
            landed += 1
        for path, ok in ((os.path.join(conf, "pip.conf"), (old_pip, new_pip)),
                         (os.path.join(uvd, "uv.toml"), (old_uv, new_uv))):
            if open(path).read() not in ok:
                corrupted += 1
                print(f"  corrupted (apply): {path}", file=sys.stderr)
        if stat.S_IMODE(os.stat(os.path.join(conf, "pip.conf")).st_mode) != 0o600:
            corrupted += 1
        if run(cmd, env).returncode != 0:
            incomplete += 1
        if open(os.path.join(conf, "pip.conf")).read() != new_pip:
            incomplete += 1
        leftovers += len(temps(home))
    srv.shutdown()
    return landed, corrupted, incomplete, leftovers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--rounds", type=int, default=1000)
    ap.add_argument("--scripts", type=int, default=200)
    ap.add_argument("--only", nargs="*", default=["fix-shebang", "fix", "undo", "apply"])
    a = ap.parse_args()
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="pydoctor-kill-", dir=base)
    try:
        pristine = make_env(work, a.scripts)
        print(f"{'command':<14} {'rounds':>7} {'mid-run':>8} {'corrupted':>10} "
              f"{'unfinished':>11} {'temp left':>10}")
        for c in a.only:
            t0 = time.monotonic()
            if c == "apply":
                r = apply_rounds(os.path.abspath(a.bin), work, a.rounds)
            else:
                args = {"fix-shebang": ["fix-shebang"], "fix": ["fix"],
                        "undo": ["fix", "--undo"]}[c]
                r = env_rounds(os.path.abspath(a.bin), pristine, work, args, a.rounds,
                               c == "undo")
            print(f"{c:<14} {a.rounds:>7} {r[0]:>8} {r[1]:>10} {r[2]:>11} {r[3]:>10}"
                  f"   ({time.monotonic() - t0:.0f} s)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
