# sms-gateway/module.mk: libsms.a (the gateway's pure modules: the citizen grammar and its keyword table) and its fuzzer.
SMS_LIB_SRC := sms-gateway/grammar.c sms-gateway/fold.c sms-gateway/keywords.c
SMS_LIB_OBJ := $(SMS_LIB_SRC:%.c=$(BUILD)/%.o)
SMS_LIB     := $(BUILD)/sms-gateway/libsms.a

$(SMS_LIB): $(SMS_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# the unit test runner links it (tests/module.mk puts TEST_LIBS before $(LIB))
TEST_LIBS += $(SMS_LIB)

# make fuzz [FUZZ_SECONDS=n]: libFuzzer with ASan+UBSan over the grammar, run on a copy
# of the seed corpus so the seeds in the tree stay as they are.
FUZZ_SECONDS ?= 60
# FUZZ_FLAGS: more libFuzzer options, e.g. "-seed=1 -runs=50000" for a repeatable run (CI)
FUZZ_FLAGS ?=
FUZZ_BIN     := $(BUILD)/fuzz/fuzz_grammar
FUZZ_SRC     := sms-gateway/fuzz_grammar.c $(SMS_LIB_SRC) shared/bw_text.c shared/bw_ref.c shared/bw_err.c
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -I. -Ishared

$(FUZZ_BIN): $(FUZZ_SRC) $(wildcard sms-gateway/*.h shared/bw_text.h shared/bw_ref.h shared/bw_err.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRC)

fuzz: $(FUZZ_BIN)
	rm -rf $(BUILD)/fuzz/corpus
	mkdir -p $(BUILD)/fuzz/corpus
	cp sms-gateway/fuzz-corpus/* $(BUILD)/fuzz/corpus/
	cd $(BUILD)/fuzz && ./fuzz_grammar -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) -max_len=4096 corpus

.PHONY: fuzz

# ---- bawaba-smsd: the gateway program and bawaba-phone (smsdb, modem, dummy phone,
# conversation); libGammu through pkg-config gammu, the hub link through libmosquitto ----
SMSD_LIB_SRC := sms-gateway/smsdb.c sms-gateway/modem.c sms-gateway/sim.c sms-gateway/dummy.c sms-gateway/converse.c
SMSD_LIB_OBJ := $(SMSD_LIB_SRC:%.c=$(BUILD)/%.o)
SMSD_LIB     := $(BUILD)/sms-gateway/libsmsd.a
SMSD_LIBS     = $(shell pkg-config --libs gammu libmosquitto)
PROGS += $(BUILD)/bin/bawaba-smsd $(BUILD)/bin/bawaba-phone

$(BUILD)/sms-gateway/%.o: CFLAGS += $(shell pkg-config --cflags gammu)

$(SMSD_LIB): $(SMSD_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/bawaba-smsd: $(BUILD)/sms-gateway/smsd.o $(SMSD_LIB) $(SMS_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SMSD_LIB) $(SMS_LIB) $(LIB) $(LDLIBS_BASE) $(SMSD_LIBS)

$(BUILD)/bin/bawaba-phone: $(BUILD)/sms-gateway/phone.o $(SMSD_LIB) $(SMS_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SMSD_LIB) $(SMS_LIB) $(LIB) $(LDLIBS_BASE) $(SMSD_LIBS)

# the unit runner links libsmsd.a before libsms.a (the conversation uses the grammar)
TEST_LIBS := $(SMSD_LIB) $(TEST_LIBS)
$(BUILD)/tests/unit-tests: LDLIBS_BASE += $(SMSD_LIBS)
# test_converse reads the compiled catalogues of this build
$(BUILD)/tests/unit-tests: $(MO_FILES)
$(BUILD)/tests/unit/test_converse.o: CFLAGS += -DSMS_TEST_LOCALEDIR='"$(abspath $(BUILD))/locale"'

MANS += man/bawaba-smsd.8
# ---- end bawaba-smsd ----
# the grammar's corpus test reads the messages from the source tree
$(BUILD)/tests/unit/test_smscorpus.o: CFLAGS += -DSMS_CORPUS='"$(abspath tests/data/sms-corpus.tsv)"'
