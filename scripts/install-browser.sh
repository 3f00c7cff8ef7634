#!/usr/bin/env bash
# Install Debian's headless-capable Chromium and its matching chromedriver, for the HTML
# report's browser test (tests/formats/test_browser.py). Idempotent: does nothing when
# /usr/bin/chromium and /usr/bin/chromedriver are already there. Needs root (or sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver
/usr/bin/chromium --version
