#!/usr/bin/env bash
# Install the system packages the test suite uses, when missing: Debian's Chromium (browser
# tests; test tools cannot download their own browser here), CJK fonts (screenshots of Japanese
# titles) and PostgreSQL (the suite runs on SQLite and on PostgreSQL).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: missing ${missing[*]}; install them to run the browser and PostgreSQL tests" >&2
    exit 0
fi
echo "== apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
