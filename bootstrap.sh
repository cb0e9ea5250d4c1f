#!/usr/bin/env bash
# One command to set finsam up on a fresh Debian machine and run it:
#   bash bootstrap.sh run    set up, then ingest the bundled corpus/ into finsam.db and list it
#   bash bootstrap.sh test   set up, then run the test suite
#   bash bootstrap.sh setup  set up only (with the layout sweep's producers and fonts, for the benchmarks)
# Setting up = system packages (tesseract-ocr, tesseract-ocr-swe and -eng, poppler-utils, fonts; for test and setup
# also LibreOffice Writer and Chromium, the layout sweep's producers) via apt when missing and we are root,
# a virtualenv in .venv, and finsam installed into it with its test and web extras (web: Datasette, for
# `finsam serve`).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=${FINSAM_VENV:-.venv}

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx swe; then need_apt+=(tesseract-ocr-swe); fi
if ! tesseract --list-langs 2>/dev/null | grep -qx eng; then need_apt+=(tesseract-ocr-eng); fi
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# the layout sweep (tests and bench/layout_sweep.py): its fonts, LibreOffice Writer and Chromium as producers
if [ "${1:-run}" != run ]; then
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf ] || need_apt+=(fonts-dejavu-extra)
  [ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || need_apt+=(fonts-liberation)
  command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
command -v "$PY" >/dev/null 2>&1 || need_apt+=(python3)
"$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing system packages: ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "bootstrap: missing system packages: ${need_apt[*]}" >&2
    echo "bootstrap: install them with: sudo apt-get install ${need_apt[*]}" >&2
    exit 3
  fi
fi

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "bootstrap: finsam needs Python 3.11 or newer ($("$PY" --version) found)" >&2
  exit 3
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.finsam-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  echo "bootstrap: installing finsam and its dependencies into $VENV" >&2
  if ! "$VENV/bin/python" -m pip install -q -e '.[test,web]' >"$VENV/pip.log" 2>&1; then
    tail -n 30 "$VENV/pip.log" >&2
    echo "bootstrap: pip install failed (full log: $VENV/pip.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
# finsam's own modules compiled ahead: an editable install leaves that to each process, and where
# PYTHONDONTWRITEBYTECODE is set (as in this CI's image) every process compiled them again, 0.15 s each
# (of a worker's 0.8 s start); a module edited later is compiled in memory until the next setup
"$VENV/bin/python" -m compileall -q finsam extractor parsers normalized corpus >/dev/null 2>&1 || true

case "${1:-run}" in
  setup) echo "bootstrap: ready; run $VENV/bin/finsam --help" ;;
  run)
    shift || true
    "$VENV/bin/finsam" ingest corpus/ --db "${FINSAM_DB:-finsam.db}" "$@"
    "$VENV/bin/finsam" documents --db "${FINSAM_DB:-finsam.db}"
    ;;
  test)
    shift || true
    # one test process per core (pytest-xdist), a test file's tests in one process so that its fixtures
    # are built once
    exec "$VENV/bin/python" -m pytest -q -n auto --dist loadfile "$@"
    ;;
  *) echo "usage: bash bootstrap.sh [run|test|setup]" >&2; exit 2 ;;
esac
