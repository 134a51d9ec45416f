#!/bin/bash
# DICOM ingest benchmark: the reference configuration (Orthanc without TCP_NODELAY), the shipped
# one, and the shipped one with quick ACK (orthweb-quickack), behind the rendered nginx, over a veth
# pair between two network namespaces (MTU 1500) and over loopback; dcmtk's storescu unmodified and
# with TCP_NODELAY=1, 1/4/16 associations; STOW-RS through nginx and straight to Orthanc. Needs root
# (network namespaces) and the Debian packages of .ci/apt-packages.txt; prints the table and the
# target ratios and writes target/ingest-benchmark.json. Not a test: nothing passes or fails on speed.
#   bench/ingest.sh [-Dbench.repetitions=5] [-Dbench.seconds=2] [-Dbench.associations=1,4,16]
#                   [-Dbench.maxInstances=800] [-Dbench.sample=CT_small.dcm]
set -euo pipefail
cd "$(dirname "$0")/.."
# the benchmark tag is excluded by default; "none" lifts the exclusion for this run only
mvn -B -q test -Dtest=IngestBenchmark -Dsurefire.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false "$@"
