#!/bin/bash
# DICOM ingest benchmark: the shipped Orthanc configuration against Orthanc's defaults, both
# behind the rendered nginx DICOM TLS proxy, with dcmtk's storescu unmodified and with
# TCP_NODELAY=1. Needs the Debian packages of .ci/apt-packages.txt; prints the figures and
# leaves them in target/ingest-benchmark.txt. Not a test: nothing here passes or fails on speed.
#   bench/ingest.sh [-Dbench.instances=150] [-Dbench.repetitions=3] [-Dbench.samples=CT_small.dcm,MR_small.dcm]
set -euo pipefail
cd "$(dirname "$0")/.."
# the benchmark tag is excluded by default; "none" lifts the exclusion for this run only
mvn -B -q test -Dtest=IngestBenchmark -Dsurefire.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false "$@"
