#!/usr/bin/env bash
# scripts/refresh-psl.sh: refreshes core's copy of the Public Suffix List, which the in-memory
# cookie jar uses to refuse cookies for public suffixes (co.uk, github.io, s3.amazonaws.com...).
#
#   scripts/refresh-psl.sh [FILE]
#
# Reads Mozilla's list from Debian's publicsuffix package (FILE overrides it; as root the package
# is installed with apt-get when missing), drops comments and blank lines (both the ICANN and the
# PRIVATE sections are kept), and writes
#   core/src/main/resources/dev/roundtrip/internal/client/public_suffix_list.dat
# with a header naming the source, its version, and its licence. The list is data under the
# Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/); the copy keeps that notice, and
# NOTICE at the top of the repository says so too. Commit the result after running the tests:
#   mvn -B -q -pl core -am test -Dtest='PublicSuffixesTest,ClientCookieSecurityTest' -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

src="${1:-/usr/share/publicsuffix/public_suffix_list.dat}"
out="core/src/main/resources/dev/roundtrip/internal/client/public_suffix_list.dat"

if [[ ! -r "$src" && $# -eq 0 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's publicsuffix package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q publicsuffix >&2
  else
    echo "$src is missing: install Debian's publicsuffix package (apt-get install publicsuffix) or pass a FILE" >&2
    exit 1
  fi
fi
[[ -r "$src" ]] || { echo "cannot read $src" >&2; exit 1; }

version="unknown"
if [[ $# -eq 0 ]] && command -v dpkg-query >/dev/null; then
  version="Debian publicsuffix $(dpkg-query -W -f='${Version}' publicsuffix 2>/dev/null || echo unknown)"
fi
grep -q '===BEGIN PRIVATE DOMAINS===' "$src" || { echo "$src does not look like the Public Suffix List" >&2; exit 1; }

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
{
  echo "// This Source Code Form is subject to the terms of the Mozilla Public"
  echo "// License, v. 2.0. If a copy of the MPL was not distributed with this"
  echo "// file, You can obtain one at https://mozilla.org/MPL/2.0/."
  echo "//"
  echo "// The Public Suffix List (https://publicsuffix.org/), ICANN and PRIVATE sections, with"
  echo "// comments and blank lines removed by scripts/refresh-psl.sh. Source: $version."
  echo "// One rule a line: a suffix, *.suffix (a wildcard) or !name (an exception); Unicode as in the list."
  # strip comments, trailing whitespace (the list's format: a rule ends at the first whitespace) and blank lines
  sed -e 's|//.*$||' -e 's/[[:space:]].*$//' "$src" | grep -v '^$'
} > "$tmp"
rules=$(grep -vc '^//' "$tmp")
[[ "$rules" -gt 5000 ]] || { echo "only $rules rules: refusing to write $out" >&2; exit 1; }
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out: $rules rules ($version)" >&2
