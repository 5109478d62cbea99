#!/usr/bin/env bash
# Applies each integration-level mutation of mutations.txt to a scratch copy of this repository
# (never the working tree), runs the tests that must catch it, and prints killed / survived per
# mutation and a summary. Exit 1 if any mutation survived or no longer applies. The logic is in
# run_mutations.py (Python 3 standard library only); see README.md, "Mutations".
#
#   tools/mutations/run-mutations.sh                 # every mutation, after a baseline run
#   tools/mutations/run-mutations.sh --list          # names only
#   tools/mutations/run-mutations.sh NAME [NAME...]  # only these
#   tools/mutations/run-mutations.sh --no-baseline   # skip the unmutated run of the tests
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/run_mutations.py" "$@"
