#!/usr/bin/env bash
# Checks the packaging: `dotnet pack` makes `apr` a .NET tool (package Apr.Cli) with the shipped models
# inside; this installs it from a temporary local feed into a temporary tool path and solves one problem
# with it, from a directory outside the repository (so nothing of the checkout is used at run time).
# Prints "tool check: passed" or "tool check: failed: <why>" and exits 0 or 1. Used by .ci/run.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "tool check: failed: $1"; [ -f "$tmp/log" ] && tail -n 30 "$tmp/log"; exit 1; }

version=$(sed -n 's#.*<Version>\(.*\)</Version>.*#\1#p' "$root/Directory.Build.props" | head -n 1)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"
dotnet pack "$root/src/Apr.Cli/Apr.Cli.csproj" -c Release -o "$tmp/feed" -nologo >"$tmp/log" 2>&1 || fail "dotnet pack"
# Only the local feed: the install must not depend on (or pick up) anything from nuget.org.
cat >"$tmp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$tmp/feed" /></packageSources></configuration>
XML
dotnet tool install Apr.Cli --version "$version" --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" >"$tmp/log" 2>&1 \
  || fail "dotnet tool install"
cd "$tmp"
env -u APR_MODEL "$tmp/tools/apr" solve --target 27 --nums 22,26,31,53 >"$tmp/log" 2>&1 || fail "apr solve (from the installed tool) exited non-zero"
grep -q "; verified)" "$tmp/log" || fail "apr solve printed no verified answer"
echo "tool check: passed ($(grep -m1 "; verified)" "$tmp/log" | sed 's/^ *//'); package $(du -h "$tmp"/feed/*.nupkg | cut -f1))"
