#!/bin/sh
# Regenerate the checked-in completion scripts (tests/cli.rs fails when they drift).
set -e
cd "$(dirname "$0")/.."
cargo build --quiet
B=target/debug/pydoctor
$B completions bash >completions/pydoctor.bash
$B completions zsh >completions/_pydoctor
$B completions fish >completions/pydoctor.fish
$B completions powershell >completions/_pydoctor.ps1
$B completions elvish >completions/pydoctor.elv
