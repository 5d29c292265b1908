# Makefile: builds bawaba's library, programs and tests; every part adds itself in its module.mk.
include config.mk

.DEFAULT_GOAL := all
LIB   := $(BUILD)/libbawaba.a
PROGS :=
MANS  :=
# extra pkg-config packages per program are added by module.mk files
LDLIBS_BASE = $(shell pkg-config --libs $(PKGS)) -lm
CFLAGS += $(shell pkg-config --cflags $(PKGS)) -DBW_LOCALEDIR='"$(LOCALEDIR)"' -DBW_DATADIR='"$(DATADIR)"'

include $(sort $(wildcard */module.mk))

all: $(LIB) $(PROGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

deps:
	@scripts/deps.sh check

check: deps
	$(MAKE) all tests
	tests/run.sh $(BUILD)

bench: deps
	@scripts/deps.sh bench
	$(MAKE) all benches
	bench/run.sh $(BUILD)

run: deps
	$(MAKE) all
	scripts/run-site.sh $(BUILD)

# the site make run started (scripts/site.sh): what runs, stop it, remove its data
status:
	@scripts/site.sh $(BUILD) status || true
stop:
	@scripts/site.sh $(BUILD) stop
reset:
	@scripts/site.sh $(BUILD) reset $(if $(YES),--yes)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/migrations $(DESTDIR)$(DATADIR)/seed
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 db/migrations/*.sql $(DESTDIR)$(DATADIR)/migrations
	install -m 644 db/seed/*.sql $(DESTDIR)$(DATADIR)/seed
	for m in $(MANS); do install -D -m 644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	$(MAKE) install-locale

clean:
	rm -rf build

.PHONY: all deps check bench run status stop reset install clean tests benches install-locale
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
