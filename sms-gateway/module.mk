# sms-gateway/module.mk: libsms.a (the gateway's pure modules: the citizen grammar) and its fuzzer.
SMS_LIB_SRC := sms-gateway/grammar.c
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
	cd $(BUILD)/fuzz && ./fuzz_grammar -max_total_time=$(FUZZ_SECONDS) -max_len=4096 corpus

.PHONY: fuzz
