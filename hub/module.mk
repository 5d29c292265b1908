# hub/module.mk: the hub's programs; each program's part is delimited so others can add theirs.

# ---- bawaba-broker: the site's mosquitto broker (hub/broker.c, hub/bawaba-broker.c) ----
# BROKER_OBJ is the broker module for any program (or test) that sets up or runs a broker.
BROKER_OBJ := $(BUILD)/hub/broker.o
PROGS += $(BUILD)/bin/bawaba-broker
MANS += man/bawaba-broker.1

$(BUILD)/bin/bawaba-broker: $(BUILD)/hub/bawaba-broker.o $(BROKER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/hub/bawaba-broker.o $(BROKER_OBJ) $(LIB) $(LDLIBS_BASE)
# ---- end bawaba-broker ----
