# kiosk/module.mk: bawaba-kiosk, the touchscreen program. libkiosk.a holds its screens and
# flows over the UI layer (no SDL: the unit tests drive them); render_sdl.c and main.c
# are the only parts that see SDL.
include shared/ui/module.mk
