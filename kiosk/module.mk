# kiosk/module.mk: bawaba-kiosk, the touchscreen program. libkiosk.a holds its screens and
# flows over the UI layer and the receipt printer (no SDL: the unit tests drive them);
# main.c and the shared renderer (shared/ui/render_sdl.c) are the only parts that see SDL.
include shared/ui/module.mk

KIOSK_PKGS    := sdl2 SDL2_ttf fribidi libqrencode espeak-ng
KIOSK_LIB_SRC := kiosk/app.c kiosk/screens.c kiosk/screens_home.c kiosk/screens_filing.c kiosk/screens_status.c \
                 kiosk/speech.c hw/escpos.c
KIOSK_LIB_OBJ := $(KIOSK_LIB_SRC:%.c=$(BUILD)/%.o)
KIOSK_LIB     := $(BUILD)/kiosk/libkiosk.a
KIOSK_OBJ     := $(BUILD)/kiosk/main.o $(BUILD)/kiosk/filer_sync.o $(BUILD)/kiosk/voice.o $(BUILD)/kiosk/audio.o $(BUILD)/kiosk/talk.o
PROGS += $(BUILD)/bin/bawaba-kiosk
MANS += man/bawaba-kiosk.1

$(KIOSK_LIB_OBJ) $(KIOSK_OBJ): CFLAGS += $(shell pkg-config --cflags $(KIOSK_PKGS))

$(KIOSK_LIB): $(KIOSK_LIB_OBJ)
	$(bw_archive)

$(BUILD)/bin/bawaba-kiosk: $(KIOSK_OBJ) $(KIOSK_LIB) $(SDL_UI_LIB) $(UI_LIB) $(LIB)
	$(call bw_program,$(shell pkg-config --libs $(KIOSK_PKGS) libmosquitto))

# the unit tests drive the flows: libkiosk.a before the UI layer, which it uses
TEST_LIBS := $(KIOSK_LIB) $(TEST_LIBS)
TEST_LDLIBS += $(shell pkg-config --libs libqrencode)
$(BUILD)/tests/unit/test_speech.o: CFLAGS += -DKIOSK_TEST_LOCALEDIR='"$(abspath $(BUILD))/locale"'
