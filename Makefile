# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
BUILD_TYPE ?= Release
BUILD_DIR  ?= build/release
ASAN_DIR   ?= build/asan
JOBS       ?= $(shell nproc)
ARGS       ?=

FUZZ_DIR   ?= build/fuzz
FUZZ_SECONDS ?= 10

.PHONY: setup configure build build-service run test test-sanitize fuzz-build test-fuzz bench format clean

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DUTXOIQ_WERROR=ON >/dev/null

# Everything: the service, the tests and the benchmarks.
build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The service alone: what `make run` needs (no tests, no benchmarks to compile first).
build-service: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target utxoiq-store

run: build-service
	$(BUILD_DIR)/utxoiq-store serve $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(ARGS)

test-sanitize: setup
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DUTXOIQ_WERROR=ON -DUTXOIQ_SANITIZE=ON -DUTXOIQ_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) $(ARGS)

# libFuzzer targets (clang, ASan, UBSan), only the layers they need.
fuzz-build: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUTXOIQ_WERROR=ON -DUTXOIQ_TESTS=OFF -DUTXOIQ_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all

# Each fuzz target for FUZZ_SECONDS on its seed corpus (CI: 10 targets x 10 s).
test-fuzz: fuzz-build
	@for target in $$(ls tests/fuzz/corpus); do \
	  log=$(FUZZ_DIR)/$$target.log; \
	  if ! UTXOIQ_FUZZ_DIR=$(FUZZ_DIR) bash tests/fuzz/run.sh $$target $(FUZZ_SECONDS) >$$log 2>&1; then \
	    tail -40 $$log; echo "fuzz: $$target failed (input in $(FUZZ_DIR)/artifacts)"; exit 1; \
	  fi; \
	  echo "fuzz: $$target $$(grep -h 'stat::number_of_executed_units' $$log)"; \
	done

bench: build
	bash bench/run.sh $(ARGS)

format:
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
