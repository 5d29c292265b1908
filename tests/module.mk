# tests/module.mk: the unit test runner (Check), one suite per tests/unit/test_*.c.
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/unit/main.o
UNIT_BIN := $(BUILD)/tests/unit-tests

$(BUILD)/gen/suites.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	for f in $(UNIT_SRC); do b=$${f##*/test_}; echo "X($${b%.c})"; done > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/unit/main.o: $(BUILD)/gen/suites.h
$(BUILD)/tests/unit/main.o: CFLAGS += -I$(BUILD)/gen $(shell pkg-config --cflags check)

$(UNIT_BIN): $(UNIT_OBJ) $(TEST_LIBS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(TEST_LIBS) $(LIB) $(LDLIBS_BASE) $(TEST_LDLIBS) $(shell pkg-config --libs check)

tests: $(UNIT_BIN)

# Check's START_TEST functions and the suite_* entry points need no prototypes.
$(BUILD)/tests/%.o: CFLAGS += -Wno-missing-prototypes $(shell pkg-config --cflags check)

# the layout check (tests/layout): every kiosk and agent console screen state measured
# with the real fonts by an offscreen renderer and held to ui_lint's rules
LAYOUT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/layout/*.c))
LAYOUT_BIN := $(BUILD)/tests/layout-check
$(LAYOUT_OBJ): CFLAGS += $(shell pkg-config --cflags sdl2)
$(LAYOUT_BIN): $(LAYOUT_OBJ) $(KIOSK_LIB) $(AGENT_LIB) $(BUILD)/hub/agent.o $(SDL_UI_LIB) $(UI_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(LAYOUT_OBJ) $(KIOSK_LIB) $(AGENT_LIB) $(BUILD)/hub/agent.o $(SDL_UI_LIB) \
	  $(UI_LIB) $(LIB) $(LDLIBS_BASE) $(shell pkg-config --libs $(SDL_UI_PKGS) libqrencode)
tests: $(LAYOUT_BIN)
