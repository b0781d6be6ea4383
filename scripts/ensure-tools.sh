#!/usr/bin/env bash
# Installs what the tests drive besides Node: Debian's Chromium and the real peers of the interop
# tests (OpenSSL, curl, Java, NSS tools, Python cryptography and requests, Go), and the browsers of the
# cross-engine suite (Firefox ESR; WebKitGTK's MiniBrowser with WebKitWebDriver, under Xvfb). Only
# what is missing. Without root (or apt-get) a missing required tool fails; a missing engine is only
# reported, and `npm run test:engines` then counts its flows as skipped.
set -euo pipefail

need=()
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v keytool >/dev/null 2>&1 || need+=(default-jre-headless)
# `java Login.java` (tests/interop/clients.test.ts) compiles in memory: that needs the JDK.
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
command -v pk12util >/dev/null 2>&1 || need+=(libnss3-tools)
/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || need+=(python3-cryptography)
/usr/bin/python3 -c 'import requests' >/dev/null 2>&1 || need+=(python3-requests)
# Go's PKCS#12 reader, built in GOPATH mode from Debian's source package (tests/interop/go/login.go).
command -v go >/dev/null 2>&1 || need+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/crypto/pkcs12 ] || need+=(golang-golang-x-crypto-dev)

# The same paths as tests/engines/firefox.ts and webkit.ts.
engines=()
[ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ] || engines+=(firefox-esr)
{ [ -x "${WEBKIT_DRIVER_PATH:-/usr/bin/WebKitWebDriver}" ] && [ -x "${MINIBROWSER_PATH:-/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser}" ]; } || engines+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || engines+=(xvfb)

[ ${#need[@]} -eq 0 ] && [ ${#engines[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  if [ ${#engines[@]} -gt 0 ]; then
    echo "Cross-engine tests: ${engines[*]} missing; the engines that need them will be skipped (not passed)." >&2
    echo "Install them with your package manager (Debian: sudo apt-get install ${engines[*]})." >&2
  fi
  [ ${#need[@]} -eq 0 ] && exit 0
  echo "appcert tests need: ${need[*]}." >&2
  echo "Install them with your package manager (Debian: sudo apt-get install ${need[*]})," >&2
  echo "or point CHROMIUM_PATH at a Chromium binary." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian's packages..."
  apt-get install -y -q "${need[@]}" >/dev/null
fi
if [ ${#engines[@]} -gt 0 ]; then
  # About 500 MB (WebKitGTK is most of it). A failure here skips those engines instead of stopping the tests.
  echo "Installing ${engines[*]} for the cross-engine tests..."
  apt-get install -y -q "${engines[@]}" >/dev/null ||
    echo "Could not install ${engines[*]}; the engines that need them will be skipped (not passed)." >&2
fi
