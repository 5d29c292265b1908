# cli/module.mk: `bawaba`, the operator's command on a hub database.
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
PROGS += $(BUILD)/bin/bawaba
MANS += man/bawaba.1

$(BUILD)/bin/bawaba: $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_BASE)
