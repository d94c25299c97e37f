#!/usr/bin/env bash
# Install the system packages the test suite uses, when missing: Debian's Chromium (browser
# tests; test tools cannot download their own browser here), CJK fonts (screenshots of Japanese
# titles), PostgreSQL (the suite runs on SQLite and on PostgreSQL), and redis-server and nginx
# (the cache tests run on Redis too; tests/test_cluster.py runs two nodes behind nginx).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: missing ${missing[*]}; install them to run the browser, PostgreSQL, Redis" \
        "and cluster tests" >&2
    exit 0
fi
echo "== apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The packages' own services (nginx on port 80, Redis on 6379, PostgreSQL's main cluster) stay
# stopped: the tests start their own on free loopback ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
