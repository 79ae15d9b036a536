#!/usr/bin/env bash
# `make demo`: a short tour of portal against a throw-away sandbox.
#
# Everything lives in a temporary directory that is removed at the end: the sandbox database,
# the config file and the session token. The token is kept in a file there (--insecure-storage)
# because a headless machine may have no keyring daemon; it never leaves that directory.
set -euo pipefail

work=$(mktemp -d "${TMPDIR:-/tmp}/portal-demo.XXXXXX")
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true  # the server ends by SIGTERM: not a failure
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

export PORTAL_CONFIG_DIR="$work/config"
unset PORTAL_TOKEN PORTAL_PROFILE PORTAL_ACCOUNT PORTAL_ORG

portal sandbox serve --port 0 --db "$work/sandbox.db" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/sandbox.log" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "the sandbox did not start:" >&2; cat "$work/sandbox.log" >&2; exit 1; }
export PORTAL_HOST="$url"

step() {
    printf '\n\033[1m$ portal %s\033[0m\n' "$*"
    portal "$@"
}

printf 'Sandbox running at %s (demo data; every user has the password chathq-demo)\n' "$url"
printf '\n\033[1m$ portal auth login --email owner@demo.chathq.test --password-stdin\033[0m\n'
printf 'chathq-demo\n' | portal auth login --email owner@demo.chathq.test --password-stdin --insecure-storage 2>&1 \
    | grep -v -i 'insecure\|plain' || true
# From here on the token comes from the environment, as it would in CI.
PORTAL_TOKEN="$(portal auth token 2>/dev/null)"
export PORTAL_TOKEN

step account list
step account show
step usage --unit sms --unpaid
step usage --summary
step billing show
step account dashboard
step usage --since 7d --limit 5

# Account as code: the live state as a file, a change to it, and what apply would do.
step export --output "$work/acme.yaml"
sed -i.orig 's/sam@demo.chathq.test: member/sam@demo.chathq.test: admin/' "$work/acme.yaml"
printf '\n(changed sam@demo.chathq.test to admin in acme.yaml)\n'
step plan -f "$work/acme.yaml" || [ $? -eq 9 ]  # 9: changes pending, as CI would see it

printf '\nDone. The sandbox is stopped and %s removed. Start your own with: portal sandbox serve\n' "$work"
