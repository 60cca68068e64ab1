#!/usr/bin/env bash
# A self-signed certificate for trying the compose set-up on one machine (HAProxy reads
# certificate and key from one PEM). Production uses a real certificate in the same place.
#   deploy/haproxy/make-cert.sh deploy/haproxy/certs [host]
set -euo pipefail
out="${1:?directory}"
host="${2:-localhost}"
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$host" \
  -addext "subjectAltName=DNS:$host,IP:127.0.0.1" -keyout "$out/ece.pem" -out "$out/ece.pem"
chmod 600 "$out/ece.pem"
