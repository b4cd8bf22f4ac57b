#!/bin/sh
# Writes man/ again from the command line's clap definitions (clap_mangen): run after
# changing src/cli.rs, and commit the result. tests/cli.rs fails while man/ is stale.
set -eu
cd "$(dirname "$0")/.."
SLS_RS_WRITE_MAN=1 cargo test --locked --test integration cli::man_pages_match_the_command_line
