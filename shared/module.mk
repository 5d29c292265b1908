# shared/module.mk: libbawaba.a, the domain core every program links.
LIB_SRC := $(wildcard shared/*.c shared/store/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/db_embed.o

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
