#!/usr/bin/env bash
# Debian packages the full test suite uses: headless Chromium + driver (browser tests,
# report screenshots), poppler-utils (PDF → PNG checks), pango (WeasyPrint PDF export).
# Installs only what is missing; does nothing when not root (tests then skip visibly).
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system_deps: missing ${need[*]} (not root; related tests will skip)" >&2
  exit 0
fi
echo "system_deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || echo "system_deps: apt-get failed for ${need[*]}" >&2
exit 0
