# shared/ui/module.mk: libbawaba-ui.a, the immediate-mode UI layer (no SDL in it). Kept out
# of libbawaba.a so the hub and the SMS gateway link no UI; the kiosk and the unit tests do.
UI_SRC := $(wildcard shared/ui/*.c)
UI_OBJ := $(UI_SRC:%.c=$(BUILD)/%.o)
UI_LIB := $(BUILD)/libbawaba-ui.a

$(UI_LIB): $(UI_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

TEST_LIBS += $(UI_LIB)
