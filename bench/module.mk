# bench/module.mk: benchmark programs (`make bench`), each comparing against a reference in the same run.
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_BASE)

# the tools the shell benchmarks drive (mqtt_raw, xpaint) are built by tools/module.mk
benches: $(BENCH_BIN)
