# Convenience aliases; the scripts are the source of truth (they need only bash, Python 3.11 and pip).
.PHONY: setup demo test bench lint serve
setup:
	bash scripts/setup.sh
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
bench:
	bash scripts/setup.sh && .venv/bin/python bench/bench_transcribe.py
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
serve:
	bash scripts/serve.sh
