# Benchmarks (Benchmarks/README.md). Not run by CI: `make bench` takes about half an hour.
BENCH_VENV := Benchmarks/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

.PHONY: bench bench-payloads bench-release bench-quick bench-venv bench-suppression measure

bench-venv: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: Benchmarks/requirements.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --disable-pip-version-check -r Benchmarks/requirements.txt
	touch $@

bench: bench-venv
	$(BENCH_PY) Benchmarks/run.py --suite all $(BENCH_ARGS)

# Builder's complementary suppression against a minimum-suppression MILP optimum (Benchmarks/suppression_optimum.py).
bench-suppression: bench-venv
	swift build --product backpay-verify
	$(BENCH_PY) Benchmarks/suppression_optimum.py --bin .build/debug/backpay-verify $(SUPPRESSION_ARGS)

bench-payloads: bench-venv
	$(BENCH_PY) Benchmarks/run.py --suite payloads $(BENCH_ARGS)

bench-release: bench-venv
	$(BENCH_PY) Benchmarks/run.py --suite release $(BENCH_ARGS)

# Small sizes, one run each, debug build: checks the harness and every peer end to end in under 2 minutes.
bench-quick: bench-venv
	$(BENCH_PY) Benchmarks/run.py --quick $(BENCH_ARGS)

# Timings of internals (SHA-256 backends, secondary suppression at 10^4 cells): Benchmarks/Measure, release build.
MEASURE_BIN = .build/release/backpay-measure
measure:
	swift build -c release --product backpay-measure
	$(MEASURE_BIN) sha256
	$(MEASURE_BIN) suppression $(or $(SCALE_N),100)
