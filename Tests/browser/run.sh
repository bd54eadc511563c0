#!/usr/bin/env bash
# The browser tests: build the book with the built build-site, open it in headless Chromium, check it.
# Installs nothing. Needs (CI installs them):
#   apt-get install -y chromium chromium-driver default-jre-headless fonts-noto-cjk
#   pip install -r Tests/browser/requirements.txt
# Environment: BUILD_SITE (default .build/debug/build-site), BOOK_PUBLIC (test a built folder instead).
# Extra arguments go to pytest, e.g. `bash Tests/browser/run.sh -k search`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
exec python3 -m pytest -q -c "$here/pytest.ini" "$here" "$@"
