#!/usr/bin/env bash
# Debian packages the full test suite uses: headless Chromium + driver (browser tests,
# report screenshots), the DejaVu fonts the PDF export embeds (reportlab) and Symbola,
# its fallback for emoji and symbols DejaVu lacks (without it they are spelled out).
# Installs only what is missing; does nothing when not root (tests then skip visibly).
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || need+=(fonts-symbola)
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
