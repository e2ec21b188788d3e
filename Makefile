# The two commands of operations.md: `make demo` and `make test`. Both install first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat uv.lock pyproject.toml | sha256sum | cut -c1-12)
SPARK_STAMP := $(VENV)/.installed-spark-$(shell cat uv.lock pyproject.toml | sha256sum | cut -c1-12)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install install-spark bytecode manifest system-deps bi-client demo test ui bench lint clean

install: $(STAMP) bytecode manifest

# The project's own modules, compiled on every make (a second or two; only changed files are
# compiled again): the same reason as --compile-bytecode below.
PACKAGES := orchestration ingest expectations publish synthetic benchmarks tests
bytecode:
	@$(VENV)/bin/python -m compileall -q -j 0 $(PACKAGES) >/dev/null

# The same environment plus the `spark` dependency group (pyspark, dbt-spark[session]): the
# second dbt target (TTHC_ENGINE=spark, docs/spark.md). `make test` uses it; the demo does not.
install-spark: $(SPARK_STAMP) bytecode manifest

# dbt's manifest, from which Dagster builds the dbt assets: parsed here, never when the
# definitions load (orchestration/dbt_manifest.py). Parsed again when a file of the project
# (dbt_manifest.PROJECT_PARTS) or the lock (another dbt) is newer; make builds install's
# prerequisites in order, so dbt is installed first. The duckdb target needs no TTHC_*
# variable (profiles.yml's defaults) and no Spark; `tthc build` parses again when stale.
MANIFEST := dbt_project/target/manifest.json
DBT_PROJECT_FILES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds \
  dbt_project/tests dbt_project/dbt_project.yml dbt_project/profiles.yml -type f)
manifest: $(MANIFEST)

$(MANIFEST): $(DBT_PROJECT_FILES) uv.lock
	$(VENV)/bin/dbt parse --quiet --project-dir dbt_project --profiles-dir dbt_project --target duckdb
	touch $@

# uv installs the exact versions of uv.lock (pip's resolver backtracks for many minutes on
# this stack without pins). uv itself is pinned in the lock's dev group.
# --compile-bytecode: the libraries' .pyc files are written once here. Where
# PYTHONDONTWRITEBYTECODE is set (it is on this project's machines) Python would otherwise compile
# Dagster, dbt and GX from source in every process: 12.0 s instead of 3.3 s to import them,
# paid by every `tthc build`, its dbt and GX processes and every test that starts one.
$(STAMP): pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || { $(VENV)/bin/python -m pip --version >/dev/null 2>&1 || $(VENV)/bin/python -m ensurepip --default-pip >/dev/null; $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8; }
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --quiet --compile-bytecode
	rm -f $(VENV)/.installed-*
	touch $@

$(SPARK_STAMP): pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || { $(VENV)/bin/python -m pip --version >/dev/null 2>&1 || $(VENV)/bin/python -m ensurepip --default-pip >/dev/null; $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8; }
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --quiet --compile-bytecode --group spark
	rm -f $(VENV)/.installed-*
	touch $@

# System packages of the tests, from Debian's registry: Chromium for the browser tests
# (dashboard, Dagster UI), LibreOffice Calc and poppler to print a Biểu 06 workbook to PDF and
# read its pages (tests/reports/test_bieu_06_print.py), a Java 17 runtime for pyspark (tests/spark). Installed only where
# missing; needs root (CI runs as root).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  echo "installing Debian's libreoffice-calc-nogui and poppler-utils for the print test of Biểu 06"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui poppler-utils >/dev/null; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing Debian's openjdk-17-jre-headless for pyspark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

demo: install
	$(VENV)/bin/tthc demo

# DuckDB 1.1, as BI tools bundle it, in its own environment (one environment holds one
# duckdb): tests/publish/test_storage_version.py opens a publication with it. Exact version and
# hashes in tests/bi_client/requirements.txt.
BI_CLIENT := .venv-bi-client
BI_CLIENT_STAMP := $(BI_CLIENT)/.installed-$(shell sha256sum tests/bi_client/requirements.txt | cut -c1-12)
bi-client: $(BI_CLIENT_STAMP)

$(BI_CLIENT_STAMP): tests/bi_client/requirements.txt
	rm -rf $(BI_CLIENT)
	$(VENV)/bin/uv venv --quiet --python $(VENV)/bin/python $(BI_CLIENT)
	$(VENV)/bin/uv pip install --quiet --require-hashes --python $(BI_CLIENT)/bin/python -r tests/bi_client/requirements.txt
	touch $@

# Two workers: most of a build's time is single-threaded (Python, dbt start-up), so two
# builds side by side use the two cores. Tests sharing a build stay on one worker, and the
# longest groups are handed out first (tests/conftest.py: HEAVIEST_FIRST; without
# --no-loadscope-reorder xdist would order the groups by their number of tests).
test: install-spark system-deps bi-client
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadgroup --no-loadscope-reorder

ui: install
	mkdir -p -m 700 $(DAGSTER_HOME)
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: install
	$(VENV)/bin/python benchmarks/run.py

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf data .dagster_home dbt_project/target dbt_project/logs $(BI_CLIENT)
