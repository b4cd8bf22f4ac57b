#!/bin/sh
# Installs sls-rs: the binary (cargo install), its shell completions and man pages, the
# Python tools it drives (cargo-lambda with zig, cfn-lint, moto) in a venv of their own,
# checkov (which the tests run) in another, zsh, fish and man (the tests run them; as root,
# with apt-get), and the Rust targets for Lambda's two architectures. Safe to run again.
#
#   ./install.sh               everything
#   ./install.sh --tools-only  only the venvs, programs and targets (what the test suite needs)
#
# Environment: SLS_RS_HOME (default ${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs) holds the
# venvs at $SLS_RS_HOME/venv and $SLS_RS_HOME/checkov; CARGO_INSTALL_ROOT is honoured by cargo install.
set -eu

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-${HOME:?HOME must be set}/.local/share}
SLS_RS_HOME=${SLS_RS_HOME:-$data_home/sls-rs}

make_venv() {
    venv=$1
    command -v python3 >/dev/null 2>&1 || die "python3 is required (on Debian: apt-get install python3 python3-venv)"
    [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys' 2>/dev/null && return 0
    mkdir -p "$SLS_RS_HOME"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian's python3 ships without venv/ensurepip; fetch it when we are allowed to.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "python3 cannot create a venv; installing python3-venv"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null ||
                die "apt-get install python3-venv failed"
            rm -rf "$venv"
            python3 -m venv "$venv" || die "python3 -m venv $venv failed"
        else
            die "python3 cannot create a venv: install python3-venv (Debian) and run again"
        fi
    fi
}

# install_venv <venv> <requirements file> <tools it must provide...>
install_venv() {
    venv=$1 requirements=$2
    shift 2
    make_venv "$venv"
    stamp=$venv/.sls-rs-requirements
    if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; then
        say "$* up to date in $venv"
        return 0
    fi
    say "installing $* into $venv (about a minute)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null ||
        die "could not upgrade pip in $venv"
    # One line per package as pip gets it, so a slow download never looks like a hang; the
    # whole log is kept, and shown if pip fails (a pipe alone would lose pip's exit status).
    log=$venv.pip-install.log
    rc_file=$venv.pip-install.rc
    { "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$requirements" 2>&1
      echo $? >"$rc_file"; } | tee "$log" | grep -E '^(Collecting|Successfully installed)' | sed -e 's/ (from .*//' -e 's/^/  /' >&2
    if [ "$(cat "$rc_file")" != 0 ]; then
        tail -n 20 "$log" >&2
        die "pip could not install $requirements (full log: $log)"
    fi
    for tool in "$@"; do
        [ -x "$venv/bin/$tool" ] || die "$tool is missing from $venv/bin after pip install"
    done
    cp "$requirements" "$stamp"
}

install_tools() {
    install_venv "$SLS_RS_HOME/venv" "$here/tools/requirements.txt" cargo-lambda cfn-lint moto_server
    # checkov reviews the generated templates in the tests; its pins (an old boto3) clash with
    # moto's, so it has a venv of its own.
    install_venv "$SLS_RS_HOME/checkov" "$here/tools/requirements-checkov.txt" checkov
}

install_test_programs() {
    # tests/completion.rs completes in real bash, zsh and fish; tests/cli.rs asks man where
    # the pages install.sh installs are. command:package
    missing=
    for program in zsh:zsh fish:fish man:man-db; do
        command -v "${program%%:*}" >/dev/null 2>&1 || missing="$missing ${program#*:}"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing$missing for the tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
            die "apt-get install$missing failed"
    else
        say "note: the tests need$missing (e.g. sudo apt-get install$missing)"
    fi
}

install_targets() {
    # cargo lambda cross-compiles for these; rustup fetches their standard libraries once.
    if ! command -v rustup >/dev/null 2>&1; then
        say "rustup not found: make sure your toolchain has aarch64-unknown-linux-gnu and x86_64-unknown-linux-gnu"
        return 0
    fi
    rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-gnu >/dev/null 2>&1 ||
        die "rustup could not add the Lambda targets (aarch64-unknown-linux-gnu, x86_64-unknown-linux-gnu)"
}

install_binary() {
    command -v cargo >/dev/null 2>&1 || die "cargo is required: install Rust from your package manager or rustup"
    say "building and installing sls-rs (cargo install --path .; several minutes on 2 cores)"
    # cargo's own lines (one per crate compiled) show progress in a CI log as on a terminal.
    cargo install --locked --path "$here" || die "cargo install failed"
}

install_completions() {
    config_home=${XDG_CONFIG_HOME:-$HOME/.config}
    copy() { mkdir -p "$2" && cp "$here/completions/$1" "$2/$3"; }
    copy sls-rs.bash "$data_home/bash-completion/completions" sls-rs
    copy _sls-rs "$data_home/zsh/site-functions" _sls-rs
    copy sls-rs.fish "$config_home/fish/completions" sls-rs.fish
    say "completions installed (bash, zsh: add $data_home/zsh/site-functions to fpath, fish)"
}

install_man_pages() {
    # man searches <dir>/../share/man for every <dir> on PATH: pages next to the binary are
    # found without MANPATH.
    man_dir=$install_root/share/man/man1
    { mkdir -p "$man_dir" && cp "$here"/man/*.1 "$man_dir/"; } || die "could not copy the man pages into $man_dir"
    say "man pages installed in $man_dir (man sls-rs, man sls-rs-deploy, ...)"
}

main() {
    tools_only=false
    for arg in "$@"; do
        case $arg in
            --tools-only) tools_only=true ;;
            -h | --help) sed -n '2,11p' "$0"; return 0 ;;
            *) die "unknown option $arg (see --help)" ;;
        esac
    done
    install_tools
    install_test_programs
    install_targets
    if [ "$tools_only" = false ]; then
        install_root=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}
        install_binary
        install_completions
        install_man_pages
        bin_dir=$install_root/bin
        case ":$PATH:" in
            *":$bin_dir:"*) ;;
            *) say "note: add $bin_dir to PATH to run sls-rs" ;;
        esac
    fi
    say "done"
}

main "$@" || exit 1
