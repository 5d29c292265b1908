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

HUB_OBJ := $(BUILD)/hub/hub.o $(BUILD)/hub/console.o $(BUILD)/hub/agent.o

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

# ---- libhub.a: hub modules the unit tests exercise directly (hub/agent.c) ----
HUB_LIB := $(BUILD)/hub/libhub.a
TEST_LIBS += $(HUB_LIB)
$(HUB_LIB): $(BUILD)/hub/agent.o
	rm -f $@
	ar rcs $@ $^
# ---- end libhub.a ----
