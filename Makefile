# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# PyInstaller too: the bundle test builds the app.
BUNDLE_STAMP := $(VENV)/.bundle-installed

# Debian packages the app and the headless tests need (Qt offscreen, fonts, PDF tools,
# a browser for the closet-page test, Xvfb for real-window checks).
DEB_PACKAGES := libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 \
	libdbus-1-3 libgssapi-krb5-2 fonts-dejavu-core poppler-utils \
	xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 chromium \
	cups printer-driver-cups-pdf fonts-noto-cjk fonts-noto-color-emoji

.PHONY: run test lint system-deps printer-setup postgres-setup model bench bundle clean

# Opens the demo: its own inventory, a local marketplace and simulated buyers. Your own
# inventory opens with `.venv/bin/studio`.
run: system-deps $(STAMP)
	$(VENV)/bin/studio --demo

# Two workers, a test file each at a time: most tests wait on a server, a subprocess or a
# window, so two overlap well even on a 2-core machine; whole files keep module fixtures shared.
TEST_WORKERS ?= 2
test: system-deps printer-setup postgres-setup $(STAMP) $(BUNDLE_STAMP) model lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check studio marketplace bench tests
	$(VENV)/bin/ruff format --check studio marketplace bench tests
	$(VENV)/bin/mypy studio marketplace

# Installs only what is missing; apt-get needs root (or sudo) the first time.
system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# A real CUPS queue that prints into PDF files (~/PDF) for the printing test: starts cupsd
# when it is not running and adds the queue once; quick when both are there already.
PRINT_QUEUE := studio-pdf
printer-setup: system-deps
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	running() { lpstat -r 2>/dev/null | grep -qx "scheduler is running"; }; \
	if ! running; then \
		$$SUDO /usr/sbin/cupsd || exit 1; \
		for i in 1 2 3 4 5 6 7 8 9 10; do running && break; sleep 0.5; done; \
	fi; \
	lpstat -p $(PRINT_QUEUE) >/dev/null 2>&1 || \
		$$SUDO lpadmin -p $(PRINT_QUEUE) -E -v cups-pdf:/ \
			-P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null

# PostgreSQL for the tests that run the Seller API server on it (tests/support/postgres.py):
# installs Debian's postgresql when missing, starts its cluster when it is down, and once
# creates a role for the current user that may create databases (the tests make their own and
# reach it on the local socket); quick when all is there.
postgres-setup:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	AS_POSTGRES=$$( [ "$$(id -u)" = 0 ] && echo "runuser -u postgres --" || echo "sudo -u postgres" ); \
	dpkg -s postgresql >/dev/null 2>&1 || { \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends postgresql; }; \
	cluster=$$(pg_lsclusters -h | head -n 1); \
	[ -n "$$cluster" ] || { echo "no PostgreSQL cluster: create one with pg_createcluster"; exit 1; }; \
	set -- $$cluster; \
	[ "$$4" = online ] || $$SUDO pg_ctlcluster $$1 $$2 start || exit 1; \
	user=$$(id -un); \
	$$AS_POSTGRES psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$$user'" | grep -q 1 || \
		$$AS_POSTGRES createuser --createdb "$$user"

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The background-removal model; the model tests are skipped (with a reason) without it.
model: $(STAMP)
	$(VENV)/bin/studio models install --if-missing || echo "warning: no background model installed"

bench: $(STAMP)
	$(PY) -m bench inventory

# The desktop app (installer/seller-studio.spec): dist/seller-studio/, and on Linux the
# tarball dist/seller-studio-VERSION-linux-x86_64.tar.gz. Windows and macOS: installer/*/.
$(BUNDLE_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bundle]'
	touch $(BUNDLE_STAMP)

bundle: system-deps $(BUNDLE_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/seller-studio.spec
	$(PY) installer/linux/make_tarball.py dist/seller-studio dist

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
