# agent/module.mk: bawaba-agent, the reception agents' console. libagent.a holds the model
# (no SDL, no network: the unit tests feed it the hub's messages) and the screens over the
# UI layer; client.c is the MQTT side; main.c sees SDL, and the shared renderer
# (shared/ui/render_sdl.c, opened as a desk) draws and reads the input.
AGENT_PKGS    := sdl2 SDL2_ttf fribidi libmosquitto
AGENT_LIB_SRC := agent/model.c agent/console.c agent/screens.c agent/screens_detail.c agent/dialogs.c
AGENT_LIB_OBJ := $(AGENT_LIB_SRC:%.c=$(BUILD)/%.o)
AGENT_LIB     := $(BUILD)/agent/libagent.a
AGENT_OBJ     := $(BUILD)/agent/main.o $(BUILD)/agent/client.o
# read before shared/ui/module.mk (kiosk includes it), so its variable is not set yet here
AGENT_UI_LIB  := $(BUILD)/libbawaba-ui.a
AGENT_RENDER  := $(BUILD)/libbawaba-sdl.a
PROGS += $(BUILD)/bin/bawaba-agent
MANS += man/bawaba-agent.1

$(AGENT_LIB_OBJ) $(AGENT_OBJ): CFLAGS += $(shell pkg-config --cflags $(AGENT_PKGS))

$(AGENT_LIB): $(AGENT_LIB_OBJ)
	$(bw_archive)

$(BUILD)/bin/bawaba-agent: $(AGENT_OBJ) $(AGENT_RENDER) $(AGENT_LIB) $(AGENT_UI_LIB) $(LIB)
	$(call bw_program,$(shell pkg-config --libs $(AGENT_PKGS)))

# the unit tests drive the model (before the UI layer, whose ui_match it uses)
TEST_LIBS := $(AGENT_LIB) $(TEST_LIBS)
