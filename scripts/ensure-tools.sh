#!/usr/bin/env bash
# Installs what the tests drive besides Node: Debian's Chromium and the real peers of the interop
# tests (OpenSSL, curl, Java keytool, NSS tools, Python cryptography). Only what is missing.
set -euo pipefail

need=()
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v keytool >/dev/null 2>&1 || need+=(default-jre-headless)
command -v pk12util >/dev/null 2>&1 || need+=(libnss3-tools)
/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || need+=(python3-cryptography)
[ -d /usr/lib/go-1.19/src/crypto/x509 ] && [ -d /usr/share/ca-certificates/mozilla ] || need+=(golang-1.19-src ca-certificates)  # Verify's second differential corpus

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "appcert tests need: ${need[*]}." >&2
  echo "Install them with your package manager (Debian: sudo apt-get install ${need[*]})," >&2
  echo "or point CHROMIUM_PATH at a Chromium binary." >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q "${need[@]}" >/dev/null
