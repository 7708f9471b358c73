#!/bin/sh
# Installs what the toolkit and its tests need on a Debian machine that has the Swift toolchain:
# libsodium and OpenSSL's libcrypto (linked through pkg-config), the stock tools the interoperability tests run (minisign,
# ssh-keygen, openssl, Go with golang.org/x/mod), and the Python packages the differential and LP cross-check tests run.
# Needs root for apt-get (CI runs as root); skips what is already there.
set -eu
need=""
pkg-config --exists libsodium 2>/dev/null || need="$need libsodium-dev pkg-config"
pkg-config --exists libcrypto 2>/dev/null || need="$need libssl-dev pkg-config"
command -v minisign >/dev/null 2>&1 || need="$need minisign"
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
# Go's sumdb/note and sumdb/tlog check our checkpoints and proofs (Tests/Interop/go), offline from Debian's packages.
command -v go >/dev/null 2>&1 || need="$need golang-go"
[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ] || need="$need golang-golang-x-mod-dev"
if ! command -v python3 >/dev/null 2>&1; then need="$need python3 python3-pip"
elif ! python3 -m pip --version >/dev/null 2>&1; then need="$need python3-pip"; fi
command -v git >/dev/null 2>&1 || need="$need git"
if [ -n "$need" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
# PyPI packages for tests: jsonschema-rs + orjson (differential test), jsonschema (counterexamples of the
# schema diff, checked by a second validator), scipy (LP cross-check of the audit).
have_py_deps() {
  python3 -c 'import jsonschema_rs, orjson, jsonschema, scipy' 2>/dev/null
}
if ! have_py_deps; then
  pkgs="jsonschema-rs orjson jsonschema scipy"
  # A Debian-managed Python refuses plain pip installs (PEP 668); fall back to its documented override.
  python3 -m pip install --quiet --disable-pip-version-check $pkgs 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages $pkgs
  have_py_deps || { echo "install-deps: the Python packages ($pkgs) could not be installed" >&2; exit 2; }
fi
echo "dependencies: ok"
