#!/bin/sh
# `cmake --install` puts the tools, recipes, man pages and completion in place,
# and an installed tool finds its recipes in <prefix>/share/ioc-toolkit/recipes.
#   tests/integration/install.sh BUILD_DIR
set -eu
build=${1:?usage: install.sh BUILD_DIR}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/psdecode bin/iocgrep bin/certsum bin/cmdchain \
         share/man/man1/psdecode.1 share/man/man1/iocgrep.1 share/man/man1/certsum.1 \
         share/man/man1/cmdchain.1 share/man/man7/ioc-recipes.7 \
         share/ioc-toolkit/recipes/ps-enc.recipe share/bash-completion/completions/psdecode; do
  [ -f "$prefix/$f" ] || { echo "FAIL missing $f"; exit 1; }
done
path=$("$prefix/bin/psdecode" --list-recipes -f jsonl | grep '"name":"ps-enc"' | sed 's/.*"path":"\([^"]*\)".*/\1/')
case $path in
  "$prefix"/share/ioc-toolkit/recipes/ps-enc.recipe) ;;
  *) echo "FAIL installed psdecode takes ps-enc from '$path', not from $prefix"; exit 1 ;;
esac
out=$(echo dwBoAG8AYQBtAGkA | "$prefix/bin/psdecode" -r ps-enc)
[ "$out" = "whoami" ] || { echo "FAIL installed psdecode -r ps-enc printed '$out'"; exit 1; }
echo "install: ok ($prefix)"
