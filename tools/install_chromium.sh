#!/usr/bin/env bash
# Make sure a Chromium exists for the browser tests (tests/browser/).
# Playwright's own browser download is not used: we drive Debian's chromium.
# Without root or apt-get we say so and the browser tests skip with that reason
# (under CI=true they fail instead, so a missing browser cannot pass unseen).
set -u
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
  echo "apt-get could not install chromium; the browser tests will report it." >&2
else
  echo "No chromium found and no root apt-get to install it; the browser tests will skip." >&2
fi
exit 0
