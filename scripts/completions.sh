#!/bin/sh
# Regenerates completions/ from the CLI definition; tests/cli.rs fails when they are stale.
set -eu
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/sls-rs
$bin completions bash > completions/sls-rs.bash
$bin completions zsh > completions/_sls-rs
$bin completions fish > completions/sls-rs.fish
$bin completions powershell > completions/_sls-rs.ps1
$bin completions elvish > completions/sls-rs.elv
