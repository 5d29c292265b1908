# tools/module.mk: programs that drive bawaba from outside for the tests and benchmarks:
# simulated devices and agents, a raw MQTT reference, a first-frame timer. None is part of
# a site; the simulators are installed with the rest (the integration tests and `make
# bench` on a site use them), the benchmark tools are built by `make bench` only.
MOSQ_LIBS = $(shell pkg-config --libs libmosquitto)

# bawaba-devsim: a simulated device (kiosk or gateway) over the real sync code, and
# bawaba-agentsim: a scripted agent console (tools/bawaba-devsim.c, tools/bawaba-agentsim.c)
PROGS += $(BUILD)/bin/bawaba-devsim $(BUILD)/bin/bawaba-agentsim

$(BUILD)/bin/bawaba-devsim $(BUILD)/bin/bawaba-agentsim: $(BUILD)/bin/%: $(BUILD)/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_BASE) $(MOSQ_LIBS)

# Tools the shell benchmarks (bench/*.sh) drive; bench/run.sh does not run them by
# themselves. mqtt_raw is the raw MQTT reference of bench/sync.sh.
TOOLS_BENCH := $(BUILD)/tools/mqtt_raw

$(BUILD)/tools/mqtt_raw: $(BUILD)/tools/mqtt_raw.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_BASE) $(MOSQ_LIBS)

# xpaint times exec to the first complete frame on an X display (bench/kiosk.sh).
TOOLS_BENCH += $(BUILD)/tools/xpaint

$(BUILD)/tools/xpaint: $(BUILD)/tools/xpaint.o
	$(CC) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs x11 xext)

benches: $(TOOLS_BENCH)
