# shared/ui/module.mk: libbawaba-ui.a, the immediate-mode UI layer (no SDL in it). Kept out
# of libbawaba.a so the hub and the SMS gateway link no UI; the kiosk and the unit tests do.
UI_SRC := $(filter-out shared/ui/render_sdl.c,$(wildcard shared/ui/*.c))
UI_OBJ := $(UI_SRC:%.c=$(BUILD)/%.o)
UI_LIB := $(BUILD)/libbawaba-ui.a

$(UI_LIB): $(UI_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

TEST_LIBS += $(UI_LIB)

# libbawaba-sdl.a: the one renderer of the kiosk and the agent console (render_sdl.c, the
# only file that draws with SDL)
SDL_UI_PKGS := sdl2 SDL2_ttf fribidi
SDL_UI_LIB  := $(BUILD)/libbawaba-sdl.a
$(BUILD)/shared/ui/render_sdl.o: CFLAGS += $(shell pkg-config --cflags $(SDL_UI_PKGS))
$(SDL_UI_LIB): $(BUILD)/shared/ui/render_sdl.o
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
