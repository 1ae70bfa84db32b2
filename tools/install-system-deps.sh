#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing.
#   chromium     the browser the acceptance tests drive (Playwright, /usr/bin/chromium)
#   fonts-dejavu-core  a font for headless rendering and screenshots
#   bubblewrap   the grader's filesystem/network sandbox (optional layer)
#   postgresql   server binaries for the PostgreSQL gradebook test (tests/scale/; the
#                test starts its own scratch server, it needs no running service)
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
