#!/bin/sh
# lint.sh PDTC ALLOWLIST POLICY.json... - the lint gate of the build step.
# Runs `pdtc check` on the policies; fails (exit 1) on any error, and on any
# warning that ALLOWLIST does not accept.  ALLOWLIST lines: "FILE CODE" or
# "FILE:LINE CODE" (FILE is the base name; '#' starts a comment).  Every
# diagnostic is shown; the accepted warnings are counted at the end.
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 PDTC ALLOWLIST POLICY.json..." >&2
    exit 2
fi
pdtc=$1
allow=$2
shift 2
out=$(mktemp) || exit 3
trap 'rm -f "$out"' EXIT
"$pdtc" check --color=never "$@" 2>"$out"
st=$?
if [ "$st" -ne 0 ]; then
    cat "$out" >&2
    exit "$st"
fi
awk -v allow="$allow" '
BEGIN {
    while ((getline l < allow) > 0) {
        sub(/#.*/, "", l)
        if (split(l, f, " ") >= 2)
            ok[f[1] " " f[2]] = 1
    }
}
{ print > "/dev/stderr" }
/^[^ ].*:[0-9]+:[0-9]+: warning: .*\[[a-z0-9-]+\]$/ {
    code = $0
    sub(/.*\[/, "", code)
    sub(/\]$/, "", code)
    split($0, p, ":")
    file = p[1]
    sub(/.*\//, "", file)
    if ((file " " code) in ok || (file ":" p[2] " " code) in ok) {
        accepted++
        next
    }
    bad++
    unexpected = unexpected "  " $0 "\n"
}
END {
    if (bad) {
        printf "lint: %d warning(s) not in %s:\n%s", bad, allow, unexpected > "/dev/stderr"
        exit 1
    }
    printf "lint: ok (%d accepted warning(s) listed in %s)\n", accepted, allow
}' "$out"
