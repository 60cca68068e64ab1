#!/usr/bin/env bash
# Roll ECE out to one overlay: the migration Job first (web and worker refuse an unmigrated
# database), then web and worker; waits for both, undoes web on failure.
#   deploy/k8s/rollout.sh staging|production IMAGE:TAG
# KUBECONFIG_DATA (base64 kubeconfig, from CI secrets) or an existing kubectl context.
set -euo pipefail
overlay="$1"
image="$2"
here="$(cd "$(dirname "$0")" && pwd)"
namespace="ece-$overlay"
if [[ -n "${KUBECONFIG_DATA:-}" ]]; then
  export KUBECONFIG="$(mktemp)"
  trap 'rm -f "$KUBECONFIG"' EXIT
  base64 -d <<<"$KUBECONFIG_DATA" >"$KUBECONFIG"
fi
# The overlay as committed, with the image CI built (a kustomization wrapping the overlay).
work="$(mktemp -d)"
cp -r "$here/base" "$here/overlays" "$work/"
cat >"$work/kustomization.yaml" <<YAML
resources: [overlays/$overlay]
images:
  - {name: ghcr.io/ece/ece, newName: "${image%:*}", newTag: "${image##*:}"}
YAML
manifests="$(kubectl kustomize "$work")"
kubectl -n "$namespace" delete job ece-migrate --ignore-not-found
kubectl apply -f - <<<"$manifests" --selector app.kubernetes.io/component=migrate
kubectl apply -f - <<<"$manifests"
kubectl -n "$namespace" wait --for=condition=complete job/ece-migrate --timeout=600s
for deployment in ece-web ece-worker; do
  if ! kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout=600s; then
    kubectl -n "$namespace" rollout undo "deployment/$deployment"
    exit 1
  fi
done
