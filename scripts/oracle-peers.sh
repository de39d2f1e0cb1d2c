#!/usr/bin/env bash
# Fetch Oracle's orapki, mkstore and JDBC thin jars (the interop ring's peers) with Maven,
# check them against scripts/oracle-peers.lock and lay them out as the tests expect:
#
#   DIR/23ai/{oraclepki,osdt_core,osdt_cert}.jar   orapki + mkstore 23ai
#   DIR/19c/{oraclepki,osdt_core,osdt_cert}.jar    orapki + mkstore 19c
#   DIR/jdbc/{ojdbc8,ojdbc11}.jar
#   DIR/VERSIONS                                   what is where, one line each
#
# DIR is $ORAKIT_ORACLE_PEERS, default target/oracle-peers under the project root (where
# `cargo test` looks too). Usage: scripts/oracle-peers.sh [--print-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ORAKIT_ORACLE_PEERS:-$root/target/oracle-peers}"
lock="$root/scripts/oracle-peers.lock"
if [ "${1:-}" = "--print-dir" ]; then echo "$dir"; exit 0; fi
command -v mvn >/dev/null || { echo "oracle-peers: mvn not found (apt-get install maven)" >&2; exit 1; }

mkdir -p "$dir"
staging="$(mktemp -d "$dir/.fetch.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
: > "$staging/VERSIONS"
grep -Ev '^\s*(#|$)' "$lock" | while read -r release gav sha; do
  artifact="$(cut -d: -f2 <<<"$gav")"
  mkdir -p "$staging/$release"
  out="$staging/$release/$artifact.jar"
  if ! mvn -B -q dependency:copy -Dartifact="$gav" -Dmdep.stripVersion=true \
       -Dtransitive=false -DoutputDirectory="$staging/$release" >"$staging/mvn.log" 2>&1; then
    echo "oracle-peers: Maven could not fetch $gav:" >&2
    grep -E 'ERROR|Could not' "$staging/mvn.log" | head -5 >&2
    exit 1
  fi
  got="$(sha256sum "$out" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    echo "oracle-peers: $gav has SHA-256 $got, the lock file pins $sha" >&2
    exit 1
  fi
  echo "$release $gav $sha" >> "$staging/VERSIONS"
done
for release in 23ai 19c jdbc; do
  rm -rf "$dir/$release"
  mv "$staging/$release" "$dir/$release"
done
mv "$staging/VERSIONS" "$dir/VERSIONS"
echo "oracle-peers: $(wc -l < "$dir/VERSIONS") jars checked and installed in $dir"
