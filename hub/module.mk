# hub/module.mk: the hub's programs; each program's part is delimited so others can add theirs.

# ---- bawaba-broker: the site's mosquitto broker (hub/broker.c, hub/bawaba-broker.c) ----
# BROKER_OBJ is the broker module for any program (or test) that sets up or runs a broker.
# It speaks to the broker's security plugin (libmosquitto) and hashes passwords (libcrypto).
BROKER_OBJ := $(BUILD)/hub/broker.o $(BUILD)/hub/broker_users.o
BROKER_LIBS = $(shell pkg-config --libs libmosquitto libcrypto)
PROGS += $(BUILD)/bin/bawaba-broker
MANS += man/bawaba-broker.1

$(BUILD)/bin/bawaba-broker: $(BUILD)/hub/bawaba-broker.o $(BROKER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/hub/bawaba-broker.o $(BROKER_OBJ) $(LIB) $(LDLIBS_BASE) $(BROKER_LIBS)
# ---- end bawaba-broker ----

# ---- bawaba-hub and bawaba-devsim: the hub daemon and a simulated device (hub/hub.c,
# hub/bawaba-hub.c, hub/bawaba-devsim.c); both use libmosquitto, bw_sync and bw_proto ----
MOSQ_LIBS = $(shell pkg-config --libs libmosquitto)
PROGS += $(BUILD)/bin/bawaba-hub $(BUILD)/bin/bawaba-devsim
MANS += man/bawaba-hub.1

HUB_OBJ := $(BUILD)/hub/hub.o $(BUILD)/hub/console.o $(BUILD)/hub/agent.o $(BUILD)/hub/guard.o

$(BUILD)/bin/bawaba-hub: $(BUILD)/hub/bawaba-hub.o $(HUB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/hub/bawaba-hub.o $(HUB_OBJ) $(LIB) $(LDLIBS_BASE) $(MOSQ_LIBS)

$(BUILD)/bin/bawaba-devsim: $(BUILD)/hub/bawaba-devsim.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/hub/bawaba-devsim.o $(LIB) $(LDLIBS_BASE) $(MOSQ_LIBS)

# bawaba-agentsim: a scripted agent console for the tests (hub/bawaba-agentsim.c)
PROGS += $(BUILD)/bin/bawaba-agentsim
$(BUILD)/bin/bawaba-agentsim: $(BUILD)/hub/bawaba-agentsim.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/hub/bawaba-agentsim.o $(LIB) $(LDLIBS_BASE) $(MOSQ_LIBS)
# ---- end bawaba-hub ----

# ---- libhub.a: hub modules the unit tests exercise directly (hub/agent.c, hub/guard.c) ----
HUB_LIB := $(BUILD)/hub/libhub.a
TEST_LIBS += $(HUB_LIB)
$(HUB_LIB): $(BUILD)/hub/agent.o $(BUILD)/hub/guard.o
	rm -f $@
	ar rcs $@ $^
# ---- end libhub.a ----

# ---- make fuzz: libFuzzer on what the hub decodes (hub/fuzz/fuzz_decoders.c, one build
# per decoder), with the seed corpora in hub/fuzz/corpus/NAME, copied so the seeds in the
# tree stay as they are. The library is built again with clang and the sanitizers. Each
# run prints "fuzz_NAME: N runs in S s"; a crash, leak or broken promise fails it. ----
FUZZ_HUB_TARGETS := request event query presence ack agentcmd
FUZZ_HUB_BINS    := $(FUZZ_HUB_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_LIB_DIR     := $(BUILD)/fuzz/obj
FUZZ_LIB_OBJ     := $(patsubst %.c,$(FUZZ_LIB_DIR)/%.o,$(wildcard shared/*.c shared/store/*.c)) $(FUZZ_LIB_DIR)/gen/db_embed.o
FUZZ_LIB_CFLAGS   = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                   -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Ishared \
                   $(shell pkg-config --cflags $(PKGS))

$(FUZZ_LIB_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_LIB_CFLAGS) -c $< -o $@

$(FUZZ_LIB_DIR)/gen/db_embed.o: $(BUILD)/gen/db_embed.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_LIB_CFLAGS) -c $< -o $@

$(FUZZ_HUB_BINS): $(BUILD)/fuzz/fuzz_%: hub/fuzz/fuzz_decoders.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	clang $(FUZZ_LIB_CFLAGS) -fsanitize=fuzzer -DFUZZ_$(shell echo $* | tr a-z A-Z) -o $@ $< \
	  $(FUZZ_LIB_OBJ) $(LDLIBS_BASE) $(shell pkg-config --libs libmosquitto)

fuzz-hub: $(FUZZ_HUB_BINS)
	@for t in $(FUZZ_HUB_TARGETS); do \
	  rm -rf $(BUILD)/fuzz/corpus-$$t && mkdir -p $(BUILD)/fuzz/corpus-$$t && \
	  cp hub/fuzz/corpus/$$t/* $(BUILD)/fuzz/corpus-$$t/ && \
	  ( cd $(BUILD)/fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) -max_len=70000 \
	      corpus-$$t > fuzz_$$t.log 2>&1 ) || { tail -n 40 $(BUILD)/fuzz/fuzz_$$t.log; exit 1; }; \
	  sed -n "s/^Done \([0-9]*\) runs in \([0-9]*\) second.*/fuzz_$$t: \1 runs in \2 s/p" $(BUILD)/fuzz/fuzz_$$t.log; \
	done

fuzz: fuzz-hub
.PHONY: fuzz-hub
# ---- end make fuzz ----
