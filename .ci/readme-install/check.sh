#!/usr/bin/env bash
# .ci/readme-install/check.sh REPO WORKDIR: builds a fresh Maven project written only from the
# README's "Install" section (its Maven lines and its Hello program) against the local repository
# REPO, which must hold what `mvn -B install -DskipTests` installed, and runs it against a loopback
# server. Fails (non-zero) if the README's instructions no longer work.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPO="$1"
WORK="$2"
rm -rf "$WORK"
mkdir -p "$WORK/src/main/java"

# The README's Install section, up to the next level-2 heading.
section="$(awk '/^## Install$/{on=1; next} /^## /{on=0} on' "$ROOT/README.md")"
# Its fenced blocks, by language: the first xml block and the first java block.
block() {
  printf '%s\n' "$section" | awk -v lang="$1" '
    $0 == "```" lang { inside=1; next }
    inside && /^```/ { exit }
    inside { print }'
}
xml="$(block xml)"
java="$(block java)"
if [[ -z "$xml" || -z "$java" ]]; then
  echo "README: no xml or java block in the Install section" >&2
  exit 1
fi
grep -q '<artifactId>roundtrip-bom</artifactId>' <<<"$xml" || { echo "README: the xml block imports no BOM" >&2; exit 1; }
grep -q '<artifactId>roundtrip-core</artifactId>' <<<"$xml" || { echo "README: the xml block adds no roundtrip-core" >&2; exit 1; }

# A user's pom: their own coordinates and compiler settings, and the README's lines inside.
cat > "$WORK/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>readme-install</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
  </properties>
$xml
</project>
POM
printf '%s\n' "$java" > "$WORK/src/main/java/Hello.java"

echo "fresh project from the README:"
cat "$WORK/pom.xml"
(cd "$WORK" && mvn -B -q -Dmaven.repo.local="$REPO" package dependency:build-classpath -Dmdep.outputFile=cp.txt)
grep -q 'roundtrip-core-' "$WORK/cp.txt" || { echo "roundtrip-core is not on the class path: $(cat "$WORK/cp.txt")" >&2; exit 1; }

rm -f "$WORK/port"
java "$ROOT/.ci/readme-install/LoopbackServer.java" "$WORK/port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [[ -s "$WORK/port" ]] && break
  sleep 0.1
done
[[ -s "$WORK/port" ]] || { echo "the loopback server did not start" >&2; exit 1; }
out="$(java -cp "$WORK/target/classes:$(cat "$WORK/cp.txt")" Hello "http://127.0.0.1:$(cat "$WORK/port")/")"
echo "Hello printed: $out"
if [[ "$out" != "200 hello from loopback" ]]; then
  echo "expected '200 hello from loopback'" >&2
  exit 1
fi
echo "README install: ok"
