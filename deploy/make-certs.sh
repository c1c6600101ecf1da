#!/usr/bin/env sh
# Creates the signing and encryption certificates every replica shares (./certs/*.pfx), valid two years.
# Usage: ./make-certs.sh PASSWORD   (then put PASSWORD in devana.env as the two *Certificate__Password)
set -eu
password="${1:?usage: $0 PASSWORD}"
cd "$(dirname "$0")"
mkdir -p certs
for name in signing encryption; do
  usage=digitalSignature
  [ "$name" = encryption ] && usage=keyEncipherment
  openssl req -x509 -newkey rsa:2048 -sha256 -days 730 -nodes -subj "/CN=Devana $name" \
    -addext "keyUsage=critical,$usage" -keyout "certs/$name.key" -out "certs/$name.crt" 2>/dev/null
  openssl pkcs12 -export -inkey "certs/$name.key" -in "certs/$name.crt" -out "certs/$name.pfx" -passout "pass:$password"
  rm "certs/$name.key"
done
# The container runs as uid 1654 ("app"): it must be able to read the PFX files.
chmod 644 certs/*.pfx
echo "certs/signing.pfx and certs/encryption.pfx written"
