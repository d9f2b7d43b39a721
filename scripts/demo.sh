#!/usr/bin/env bash
# scripts/demo.sh - the demo organization of a local stack (called by run.sh).
#
# Creates the tenant "demo" with an administrator whose password is set, so
# the printed credentials work at once. Running it again changes nothing.
# Environment (set by run.sh): CABINET_CONF, CABINET_BUILD_DIR,
# CABINET_HTTP_PORT, CABINET_BASE_DOMAIN.
set -euo pipefail
CTL=("$CABINET_BUILD_DIR/core/cabinetctl" -c "$CABINET_CONF")
LOGIN=admin@demo.example.ru
PASSWORD=Demo-Cabinet-2026

if ! "${CTL[@]}" tenant list | grep -q '"subdomain": "demo"'; then
	"${CTL[@]}" tenant create demo "ООО «Демо»" "Иванова Мария Петровна" +79990000001 "$LOGIN" >/dev/null
	printf '%s\n' "$PASSWORD" | "${CTL[@]}" user password demo "$LOGIN" >/dev/null
fi
echo "run.sh: demo organization: http://demo.$CABINET_BASE_DOMAIN:$CABINET_HTTP_PORT/"
echo "run.sh:   administrator: $LOGIN / $PASSWORD"
