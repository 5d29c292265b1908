# broker/module.mk: the site's mosquitto broker as bawaba runs it: libbroker.a (its
# directory, settings, process and users: broker.c, broker_users.c), linked by
# bawaba-broker and by any other program that sets up a broker (the CLI's site command).
# A program including broker.h adds $(BROKER_INC) to its CFLAGS and links $(BROKER_LIB)
# with $(BROKER_LIBS): the broker's security plugin (libmosquitto), password hashes
# (libcrypto).
BROKER_INC  := -Ibroker
BROKER_LIB  := $(BUILD)/broker/libbroker.a
BROKER_LIBS  = $(shell pkg-config --libs libmosquitto libcrypto)

$(BROKER_LIB): $(BUILD)/broker/broker.o $(BUILD)/broker/broker_users.o
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# ---- bawaba-broker: the broker's command (broker/bawaba-broker.c) ----
PROGS += $(BUILD)/bin/bawaba-broker
MANS += man/bawaba-broker.1

$(BUILD)/bin/bawaba-broker: $(BUILD)/broker/bawaba-broker.o $(BROKER_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/broker/bawaba-broker.o $(BROKER_LIB) $(LIB) $(LDLIBS_BASE) $(BROKER_LIBS)
# ---- end bawaba-broker ----
