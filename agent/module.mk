# agent/module.mk: bawaba-agent, the reception agents' console. libagent.a holds the model
# (no SDL, no network: the unit tests feed it the hub's messages) and the screens over the
# UI layer; client.c is the MQTT side; main.c and events_sdl.c see SDL, and the kiosk's
# renderer (kiosk/render_sdl.o) draws.
AGENT_PKGS    := sdl2 SDL2_ttf fribidi libmosquitto
AGENT_LIB_SRC := agent/model.c
AGENT_LIB_OBJ := $(AGENT_LIB_SRC:%.c=$(BUILD)/%.o)
AGENT_LIB     := $(BUILD)/agent/libagent.a
$(AGENT_LIB_OBJ) $(BUILD)/agent/client.o: CFLAGS += $(shell pkg-config --cflags $(AGENT_PKGS))

$(AGENT_LIB): $(AGENT_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# the unit tests drive the model (before the UI layer, whose ui_match it uses)
TEST_LIBS := $(AGENT_LIB) $(TEST_LIBS)
