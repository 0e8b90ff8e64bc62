#!/usr/bin/env bash
# make test-deploy: the Kubernetes manifests in deploy/kubernetes/ against the Kubernetes API
# schema, strictly (a field the API does not have is an error, so a typo in a field name
# fails), with kubernetes-validate from PyPI, which carries the schemas and needs no
# cluster. Installs it in .build/deploy-venv/ when missing. A copy of sweep-job.yaml with one
# field name misspelt must fail, so that the check is known to catch what it is for.
# (What the manifests run is tested by Tests/queuesimTests/DeployTests.swift.)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="1.37.0"         # kubernetes-validate; its newest schema is Kubernetes 1.37
KUBERNETES="1.37.0"      # the schema the manifests are checked against
VENV=.build/deploy-venv
validate="$VENV/bin/kubernetes-validate"

if [ "$("$validate" --version 2>/dev/null)" != "$VERSION" ]; then
    echo "test-deploy: installing kubernetes-validate $VERSION from PyPI in $VENV"
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
        SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    fi
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "kubernetes-validate==$VERSION"
fi

manifests=(deploy/kubernetes/*.yaml)
"$validate" --strict --kubernetes-version "$KUBERNETES" "${manifests[@]}"

typo=$(mktemp "${TMPDIR:-/tmp}/queuesim-typo-XXXXXX.yaml")
trap 'rm -f "$typo"' EXIT
sed 's/completionMode:/completionMod:/' deploy/kubernetes/sweep-job.yaml >"$typo"
! cmp -s "$typo" deploy/kubernetes/sweep-job.yaml || { echo "test-deploy: sweep-job.yaml has no completionMode to misspell" >&2; exit 1; }
if "$validate" --strict --quiet --kubernetes-version "$KUBERNETES" "$typo" >/dev/null 2>&1; then
    echo "test-deploy: a manifest with the misspelt field completionMod passed: the check catches nothing" >&2
    exit 1
fi
echo "test-deploy: ${#manifests[@]} manifests valid against the Kubernetes $KUBERNETES API (strict); a misspelt field is caught"
