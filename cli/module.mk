# cli/module.mk: `bawaba`, the operator's command on a hub database.
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
PROGS += $(BUILD)/bin/bawaba
MANS += man/bawaba.1

# agents and devices are hub tables: the hub's agent module and the broker set-up
# (paths spelled out: hub/module.mk is read after this file)
CLI_HUB := $(BUILD)/hub/libhub.a $(BUILD)/hub/broker.o $(BUILD)/hub/broker_users.o

$(BUILD)/bin/bawaba: $(CLI_OBJ) $(CLI_HUB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CLI_HUB) $(LIB) $(LDLIBS_BASE) $(shell pkg-config --libs libmosquitto libcrypto)
