#!/bin/sh
# no_float.sh - money and hours never go through floating point: the engine
# and the payroll modules use no float/double type, no floating-point
# conversions and no math library. Comment lines are skipped.
#   no_float.sh SOURCE_DIR
set -eu
cd "${1:-.}/core"
files="money.c hours.c date.c calendar.c schedule.c t13.c average.c payroll.c ndfl.c preview.c payrun.c payslips.c deductions.c"
found=$(grep -nE '\b(float|double)\b|\b(strtod|strtof|atof|pow|round|lround|floor|ceil|fmod)\(|json_object_(new|get)_double|%[-+ #0-9.]*[fFgGeEaA]([^a-zA-Z]|$)' $files |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//)' || true)
if [ -n "$found" ]; then
	echo "floating point in the money path:" >&2
	echo "$found" >&2
	exit 1
fi
echo "no floating point in: $files"
