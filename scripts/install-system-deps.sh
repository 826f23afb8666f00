#!/usr/bin/env bash
# Debian packages Guichet's tests and tools use (installed once; a no-op when already present):
#   chromium           real browser for the end-to-end tests (driven by playwright-core; no download)
#   fonts-dejavu-core  TTF fonts embedded in generated PDFs
#   dovecot-imapd      real IMAP server for the email channel's tests and benchmark (started by them, never as a service)
#   poppler-utils      mail office: pdfinfo, pdftotext, pdftoppm, pdfseparate, pdfunite (scanned batches)
#   tesseract-ocr, tesseract-ocr-fra   Debian's OCR CLI, the baseline of `npm run bench:mail` (Guichet itself uses tesseract.js)
set -euo pipefail
PACKAGES=(poppler-utils tesseract-ocr tesseract-ocr-fra chromium fonts-dejavu-core dovecot-imapd)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "Paquets manquants : ${missing[*]} — installez-les avec : sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
