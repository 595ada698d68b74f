# SPDX-License-Identifier: Apache-2.0
# Thin wrapper over CMake for the README's commands.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
DEB_BUILD  ?= build-deb
DEB_OUT    ?= dist/deb
FUZZ_SECONDS ?= 30
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
WERROR     ?= OFF
CMAKE_ARGS ?=

CONFIGURE = cmake -S . -B $(1) -DNVITOP_WERROR=$(WERROR) $(CMAKE_ARGS) $(2) >/dev/null

.PHONY: all deps build run test test-plain test-asan test-tsan test-fuzz install deb wheel docs bench bench-monitor bench-python format lint clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@$(call CONFIGURE,$(BUILD),-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	@cmake --build $(BUILD) -j$(JOBS)

# The monitor on the real driver if there is one, else on the bundled simulated GPUs.
run: build
	@scripts/run.sh $(BUILD)

# The whole suite, plain and under ASan+UBSan, the threaded parts under TSan, and the /proc
# parsers' fuzz regression.
test: test-plain test-asan test-tsan test-fuzz

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: deps
	@$(call CONFIGURE,$(ASAN_BUILD),-DCMAKE_BUILD_TYPE=Debug -DNVITOP_SANITIZE=address$(,)undefined)
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS)

# The libFuzzer harness (clang, ASan+UBSan) on its committed seeds, then FUZZ_SECONDS of
# fuzzing: only that target is built.
test-fuzz: deps
	@CC=clang $(call CONFIGURE,$(FUZZ_BUILD),-DCMAKE_BUILD_TYPE=Debug -DNVITOP_BUILD_TESTS=OFF \
	    -DNVITOP_FUZZ=ON -DNVITOP_FUZZ_SECONDS=$(FUZZ_SECONDS))
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_proc_parsers
	@cd $(FUZZ_BUILD)/tests/fuzz && ctest --output-on-failure

# The tests labelled tsan (every test of a thread of ours: the sampler, the collector and its
# daemon, the ticker, the simulator's threads, the exporter's unit and end-to-end tests; the
# list is tests/CMakeLists.txt's) under ThreadSanitizer, stopping at the first report. Only
# their targets are built.
test-tsan: deps
	@$(call CONFIGURE,$(TSAN_BUILD),-DCMAKE_BUILD_TYPE=Debug -DNVITOP_SANITIZE=thread)
	@cmake --build $(TSAN_BUILD) -j$(JOBS) --target tsan_tests
	@cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j$(JOBS) -L tsan

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian packages nvitop, libnvitop<SOVERSION> and libnvitop-dev in $(DEB_OUT), built with
# debhelper from a copy of the tree in $(DEB_BUILD) (dpkg-buildpackage writes beside the tree
# it builds) and checked by lintian; version and names from CMake (docs/packaging.md).
deb: deps
	@$(call CONFIGURE,$(BUILD),-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	@DEB_BUILD_OPTIONS="parallel=$(JOBS) $(DEB_BUILD_OPTIONS)" scripts/build-deb.sh $(BUILD) $(DEB_OUT) $(DEB_BUILD)

# One wheel in dist/: python/nvitop with the programs, libnvitop and the CUDA probe under
# nvitop/_prefix/ (scripts/build-wheel.py; no network, no build backend). Install it with
# `pip install --no-index dist/nvitop-*.whl`.
wheel: build
	@/usr/bin/python3 scripts/build-wheel.py --build $(BUILD) --out dist

# The API reference of libnvitop (Doxygen) in $(BUILD)/docs/html.
docs: deps
	@mkdir -p $(BUILD)/docs
	@NVITOP_DOCS_OUTPUT=$(BUILD)/docs doxygen docs/Doxyfile
	@echo "API reference: $(BUILD)/docs/html/index.html"


bench: build
	@bench/run.sh $(BUILD)

bench-monitor: build
	@bench/monitor.sh $(BUILD)

bench-python: build
	@bench/python.sh $(BUILD)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	@clang-format -i $(FORMAT_FILES)

# clang-format, the unit tests' naming rule (docs/architecture.md "Tests") and shellcheck over
# scripts/*.sh.
lint: deps
	@clang-format --dry-run -Werror $(FORMAT_FILES)
	@scripts/lint-test-names.sh
	@shellcheck scripts/*.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(DEB_BUILD) dist

, := ,
