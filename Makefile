# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
BUILD_TYPE ?= Release
BUILD_DIR  ?= build/release
ASAN_DIR   ?= build/asan
JOBS       ?= $(shell nproc)
ARGS       ?=

.PHONY: setup configure build build-service run test test-sanitize bench format clean

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
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DUTXOIQ_WERROR=ON -DUTXOIQ_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) $(ARGS)

bench: build
	bash bench/run.sh $(ARGS)

format:
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
