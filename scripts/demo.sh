#!/usr/bin/env bash
# scripts/demo.sh - the demo organization of a local stack (called by run.sh).
#
# Creates the tenant "demo" with an administrator whose password is set, then
# its content through the service's own API (scripts/demo_data.py): three
# departments with their heads (the director heads «Дирекция»: nobody below
# him approves his requests), 30 employees with schedules and pay terms, a
# year of timesheets and closed payroll months, cabinets in each of the
# eight states and a disabled one, and an employee who can sign in at once
# to see payslips. Running it again changes nothing.
# Environment (set by run.sh): CABINET_CONF, CABINET_BUILD_DIR,
# CABINET_HTTP_PORT, CABINET_BASE_DOMAIN.
set -euo pipefail
CTL=("$CABINET_BUILD_DIR/core/cabinetctl" -c "$CABINET_CONF")
LOGIN=admin@demo.example.ru
PASSWORD=Demo-Cabinet-2026
EMPLOYEE=smirnov@demo.example.ru
EMPLOYEE_PASSWORD=Demo-Sotrudnik-2026

if ! "${CTL[@]}" tenant list | grep -q '"subdomain": "demo"'; then
	"${CTL[@]}" tenant create demo "ООО «Демо»" "Иванова Мария Петровна" +79990000001 "$LOGIN" >/dev/null
	printf '%s\n' "$PASSWORD" | "${CTL[@]}" user password demo "$LOGIN" >/dev/null
fi
rc=0
python3 "$(dirname "${BASH_SOURCE[0]}")/demo_data.py" "$CABINET_HTTP_PORT" "$CABINET_BASE_DOMAIN" \
	"$LOGIN" "$PASSWORD" || rc=$?
case $rc in
0) printf '%s\n' "$EMPLOYEE_PASSWORD" | "${CTL[@]}" user password demo "$EMPLOYEE" >/dev/null ;;
3) ;; # filled before
*) echo "run.sh: the demo organization could not be filled (see above)" >&2 ;;
esac
echo "run.sh: demo organization: http://demo.$CABINET_BASE_DOMAIN:$CABINET_HTTP_PORT/"
echo "run.sh:   administrator: $LOGIN / $PASSWORD"
echo "run.sh:   employee:      $EMPLOYEE / $EMPLOYEE_PASSWORD"
