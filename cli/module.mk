# cli/module.mk: `bawaba`, the operator's command on a hub database.
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
PROGS += $(BUILD)/bin/bawaba
MANS += man/bawaba.1

# agents and devices are hub tables: the hub's library (its answers to agents, its guards)
# and the broker set-up, each found by its -I path (paths spelled out: hub/module.mk is
# read after this file)
CLI_HUB := $(BUILD)/hub/libhub.a $(BROKER_LIB)
$(CLI_OBJ): CFLAGS += $(HUB_INC) $(BROKER_INC)

$(BUILD)/bin/bawaba: $(CLI_OBJ) $(CLI_HUB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CLI_HUB) $(LIB) $(LDLIBS_BASE) $(BROKER_LIBS)
