# bench/module.mk: benchmark programs (`make bench`), each comparing against a reference in the same run.
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_BASE)

# Tools the shell benchmarks (bench/*.sh) drive; bench/run.sh does not run them by
# themselves. mqtt_raw is the raw MQTT reference of bench/sync.sh.
BENCH_TOOLS := $(BUILD)/bench/tools/mqtt_raw

$(BUILD)/bench/tools/mqtt_raw: $(BUILD)/bench/tools/mqtt_raw.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_BASE) $(shell pkg-config --libs libmosquitto)

# xpaint times exec to the first complete frame on an X display (bench/kiosk.sh).
BENCH_TOOLS += $(BUILD)/bench/tools/xpaint

$(BUILD)/bench/tools/xpaint: $(BUILD)/bench/tools/xpaint.o
	$(CC) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs x11 xext)

benches: $(BENCH_BIN) $(BENCH_TOOLS)
