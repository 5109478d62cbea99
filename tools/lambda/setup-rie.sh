#!/usr/bin/env bash
# Builds AWS's Lambda Runtime Interface Emulator (aws-lambda-rie, what `sam local invoke` runs in
# its container) from its Go module at a pinned version into the project-local .tools/bin, with
# this machine's Go toolchain. Idempotent and instant once built: the version is stamped beside
# the binary. Run by the Maven build (generate-test-resources), like tools/python/setup-venv.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="github.com/aws/aws-lambda-runtime-interface-emulator"
version="v0.0.0-20261030222936-bef5c4ba774d"
# The module's go.mod asks for this Go; a local toolchain is used, never a downloaded one.
go_required="1.26.6"
bin="$root/.tools/bin"
stamp="$bin/aws-lambda-rie.version"
if [ -x "$bin/aws-lambda-rie" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
  exit 0
fi

go="$(command -v go || true)"
if [ -z "$go" ] && [ -x /usr/local/go/bin/go ]; then
  go=/usr/local/go/bin/go
fi
if [ -z "$go" ]; then
  echo "setup-rie: Go $go_required or newer is required to build the Lambda runtime interface emulator (go is not on PATH or in /usr/local/go/bin)" >&2
  exit 1
fi
go_found="$(GOTOOLCHAIN=local "$go" env GOVERSION)"
if [ "$(printf '%s\n%s\n' "go$go_required" "$go_found" | sort -V | head -n1)" != "go$go_required" ]; then
  echo "setup-rie: Go $go_required or newer is required to build the Lambda runtime interface emulator; $go is $go_found" >&2
  exit 1
fi

# Go keeps its module and build caches under $HOME; CI may run without one.
if [ -z "${HOME:-}" ]; then
  export GOPATH="$root/.tools/go" GOCACHE="$root/.tools/go/cache"
  export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"
fi

echo "setup-rie: building aws-lambda-rie $version into $bin" >&2
mkdir -p "$bin"
rm -f "$stamp"
if ! GOBIN="$bin" GOTOOLCHAIN=local CGO_ENABLED=0 "$go" install "$module/cmd/aws-lambda-rie@$version" </dev/null; then
  echo "setup-rie: could not build $module/cmd/aws-lambda-rie@$version (see Go's messages above)" >&2
  exit 1
fi
echo "$version" > "$stamp"
