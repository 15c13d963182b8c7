#!/usr/bin/env bash
# Run one benchmark: benchmarks/run.sh <throughput|connections|storm|recovery|soak|startup|resume|stomp|compression|routing|reactive|cluster> [--smoke] [--runs=N] [--key=value]
# Builds the module (offline when possible) and runs the harness with the module's runtime classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -q -o -pl benchmarks -am package -DskipTests || ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi
# 10,000 connections need more descriptors than the usual soft limit; take what the hard limit allows
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$CP" io.github.reconnectingws.benchmarks.Bench "$@"
