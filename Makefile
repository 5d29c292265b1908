# Makefile: builds bawaba's library, programs and tests; every part adds itself in its module.mk.
include config.mk

.DEFAULT_GOAL := all
LIB   := $(BUILD)/libbawaba.a
PROGS :=
MANS  :=
# extra pkg-config packages per program are added by module.mk files
LDLIBS_BASE = $(shell pkg-config --libs $(PKGS)) -lm
CFLAGS += $(shell pkg-config --cflags $(PKGS)) -DBW_LOCALEDIR='"$(LOCALEDIR)"' -DBW_DATADIR='"$(DATADIR)"'

# The install paths compiled into the programs, kept in a file that changes only when they
# do: every object depends on it, so `make install PREFIX=/usr` after a `make` rebuilds
# with /usr instead of installing programs that look in /usr/local (and the next `make
# run` rebuilds back).
PATHS_STAMP := $(BUILD)/gen/install-paths
$(shell mkdir -p $(BUILD)/gen && echo '$(LOCALEDIR) $(DATADIR)' | cmp -s - $(PATHS_STAMP) || \
  echo '$(LOCALEDIR) $(DATADIR)' > $(PATHS_STAMP))

# Recipes a module.mk uses: a static library of the rule's prerequisites; a program
# linked from its prerequisites (in link order), the base libraries and $(1).
define bw_archive
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
endef
define bw_program
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_BASE) $(1)
endef

include $(sort $(wildcard */module.mk))

all: $(LIB) $(PROGS)

$(BUILD)/%.o: %.c $(PATHS_STAMP)
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
	$(MAKE) install-locale install-service

# systemd units (dist/systemd, with this BINDIR), the system users (sysusers.d), and a
# sample configuration per program in SYSCONFDIR/bawaba, written by the program itself
# from its settings table (--print-config), so a sample never drifts from the code
SAMPLES := bawaba:bawaba hub:bawaba-hub smsd:bawaba-smsd kiosk:bawaba-kiosk agent:bawaba-agent
install-service: all
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/bawaba
	for u in dist/systemd/*.service.in; do n=$${u##*/}; \
	  sed 's|@BINDIR@|$(BINDIR)|g' $$u > $(DESTDIR)$(UNITDIR)/$${n%.in}; \
	  chmod 644 $(DESTDIR)$(UNITDIR)/$${n%.in}; done
	install -m 644 dist/sysusers.d/bawaba.conf $(DESTDIR)$(SYSUSERSDIR)/bawaba.conf
	for s in $(SAMPLES); do n=$${s%%:*}; p=$(BUILD)/bin/$${s#*:}; [ -x $$p ] || continue; \
	  { echo "# /etc/bawaba/$$n.conf: a sample written by $${s#*:} --print-config: every setting"; \
	    echo "# with its default and what it means. Copy to $$n.conf and edit."; \
	    env -i $$p --print-config; } > $(DESTDIR)$(SYSCONFDIR)/bawaba/$$n.conf.sample; \
	  chmod 644 $(DESTDIR)$(SYSCONFDIR)/bawaba/$$n.conf.sample; done

# Debian packages (debian/, debhelper) from a copy of this tree, so dpkg-buildpackage
# writes nothing next to it; the .deb files and lintian's report land in $(BUILD)/deb
DEBDIR := $(BUILD)/deb
deb:
	@scripts/deps.sh deb
	rm -rf $(DEBDIR) && mkdir -p $(DEBDIR)/src
	tar --exclude=./build --exclude=./run --exclude=./.git -cf - . | tar -xf - -C $(DEBDIR)/src
	cd $(DEBDIR)/src && dpkg-buildpackage -us -uc -b -j2 > ../build.log 2>&1 || { tail -n 40 ../build.log; exit 1; }
	lintian --fail-on error $(DEBDIR)/*.deb | tee $(DEBDIR)/lintian.txt
	@ls $(DEBDIR)/*.deb

clean:
	rm -rf build

.PHONY: all deps check bench run status stop reset install install-service deb clean tests benches install-locale
-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
