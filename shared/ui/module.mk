# shared/ui/module.mk: libbawaba-ui.a, the immediate-mode UI layer (no SDL in it). Kept out
# of libbawaba.a so the hub and the SMS gateway link no UI; the kiosk and the unit tests do.
SDL_UI_SRC := shared/ui/render_sdl.c shared/ui/render_rrect.c
UI_SRC := $(filter-out $(SDL_UI_SRC),$(wildcard shared/ui/*.c))
UI_OBJ := $(UI_SRC:%.c=$(BUILD)/%.o)
UI_LIB := $(BUILD)/libbawaba-ui.a

$(UI_LIB): $(UI_OBJ)
	$(bw_archive)

TEST_LIBS += $(UI_LIB)

# libbawaba-sdl.a: the one renderer of the kiosk and the agent console (render_sdl.c and
# its rounded rectangles, the only files that draw with SDL)
SDL_UI_PKGS := sdl2 SDL2_ttf fribidi
SDL_UI_LIB  := $(BUILD)/libbawaba-sdl.a
SDL_UI_OBJ  := $(SDL_UI_SRC:%.c=$(BUILD)/%.o)
$(SDL_UI_OBJ): CFLAGS += $(shell pkg-config --cflags $(SDL_UI_PKGS))
$(SDL_UI_LIB): $(SDL_UI_OBJ)
	$(bw_archive)
