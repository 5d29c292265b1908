# po/module.mk: translation catalogues. po/DOMAIN/LANG.po becomes
# $(BUILD)/locale/LANG/LC_MESSAGES/bawaba-DOMAIN.mo (msgfmt --check: format errors fail the build).
# Message ids are keys ("home.title"), never shown: every text a citizen sees is in a .po file.
PO_FILES := $(wildcard po/*/*.po)
MO_FILES := $(foreach p,$(PO_FILES),$(BUILD)/locale/$(basename $(notdir $(p)))/LC_MESSAGES/bawaba-$(notdir $(patsubst %/,%,$(dir $(p)))).mo)

define mo_rule
$(BUILD)/locale/$(basename $(notdir $(1)))/LC_MESSAGES/bawaba-$(notdir $(patsubst %/,%,$(dir $(1)))).mo: $(1)
	@mkdir -p $$(dir $$@)
	msgfmt --check -o $$@ $$<
endef
$(foreach p,$(PO_FILES),$(eval $(call mo_rule,$(p))))

all: $(MO_FILES)

install-locale: $(MO_FILES)
	for m in $(MO_FILES); do d=$$(echo $$m | sed 's|^$(BUILD)/locale/||'); \
	  install -D -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$d; done
