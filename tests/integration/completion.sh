#!/usr/bin/env bash
# The bash completion completes options, recipe names and operation names from
# the tools themselves.   tests/integration/completion.sh BUILD_TOOLS_DIR
set -u
bin=$(cd "${1:?usage: completion.sh BUILD_TOOLS_DIR}" && pwd)
PATH="$bin:$PATH"
. "$(dirname "$0")/../../tools/completion/ioc-toolkit.bash"
fails=0
expect() {  # description, word to find, words of the command line...
  local what=$1 want=$2; shift 2
  COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
  _ioc_toolkit
  if printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$want"; then echo "ok   $what"
  else echo "FAIL $what: '$want' not in: ${COMPREPLY[*]}"; fails=$((fails + 1)); fi
}
expect "long options"          --recipe     psdecode --rec
expect "options of iocgrep"    --list-operations iocgrep --list-op
expect "recipe names after -r" ps-enc       psdecode -r ps-e
expect "recipe names"          b64-gunzip   cmdchain --recipe b64-g
expect "operation names"       from_base64  certsum --help-op from_b
expect "formats"               jsonl        psdecode -f js
expect "iocgrep formats"       json         iocgrep --format js
expect "iocgrep types"         ipv4,domain  iocgrep -t ipv4,dom
expect "iocgrep --text"        --text       iocgrep --te
expect "iocgrep first type"    session_key  iocgrep --type sess
expect "cmdchain formats"      mermaid      cmdchain -f mer
expect "cmdchain levels"       high         cmdchain --min-level hi
[ $fails = 0 ]
