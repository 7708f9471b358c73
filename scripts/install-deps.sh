#!/bin/sh
# Installs what the toolkit and its tests need on a Debian machine that has the Swift toolchain:
# libsodium (linked through pkg-config), the stock tools the interoperability tests run (minisign,
# ssh-keygen, openssl), and the Python packages the differential and LP cross-check tests run.
# Needs root for apt-get (CI runs as root); skips what is already there.
set -eu
need=""
pkg-config --exists libsodium 2>/dev/null || need="$need libsodium-dev pkg-config"
command -v minisign >/dev/null 2>&1 || need="$need minisign"
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v python3 >/dev/null 2>&1 || need="$need python3 python3-pip"
command -v git >/dev/null 2>&1 || need="$need git"
if [ -n "$need" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
# PyPI packages for tests: jsonschema-rs + orjson (differential test), jsonschema (counterexamples of the
# schema diff, checked by a second validator), scipy (LP cross-check of the audit).
python3 - <<'PY' || python3 -m pip install --quiet --disable-pip-version-check jsonschema-rs orjson jsonschema scipy 2>&1 | grep -v "Running pip as the 'root' user" || true
import importlib, sys
for m in ("jsonschema_rs", "orjson", "jsonschema", "scipy"):
    importlib.import_module(m)
PY
echo "dependencies: ok"
