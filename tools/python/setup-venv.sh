#!/usr/bin/env bash
# Creates (or refreshes) the project-local virtual environment ./.venv with the pinned Python
# tools of tools/python/requirements.txt. Idempotent and quick when nothing changed: the
# requirements' checksum is stamped into the venv. Run by the Maven build (initialize phase).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"
requirements="$root/tools/python/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/moto_server" ] && [ -x "$venv/bin/cfn-lint" ] && [ -x "$venv/bin/sam" ]; then
  exit 0
fi
command -v python3 >/dev/null || { echo "setup-venv: python3 is required (3.9 or newer)" >&2; exit 1; }
echo "setup-venv: installing the pinned Python tools into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$requirements"
echo "$want" > "$stamp"
