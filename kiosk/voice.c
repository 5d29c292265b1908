/* voice.c: recorded prompts and libespeak-ng synthesis, one segment at a time, into a
 * sink; the catalogues (.mo) are read to map a shown text back to its message id. */
#include "voice.h"

#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const langs[3] = { "ar", "zgh", "fr" };

/* One catalogue: message ids and their texts, as in the .mo file. */
typedef struct kv_cat {
	char *data;
	size_t size;
	uint32_t n;
	const char **ids, **texts;
} kv_cat;

struct kv {
	kv_cat cat[3];
	char prompts[1024];
	/* the synthesis in progress: espeak calls back with chunks */
	kv_sink sink;
	void *arg;
	size_t made;
};

static int lang_ix(const char *lang)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(lang, langs[i]))
			return i;
	return -1;
}

static uint32_t rd32(const char *p, int swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Reads a .mo file (GNU gettext's format: magic, count, two tables of length+offset). A
 * missing or malformed file leaves the catalogue empty: no recordings found through it. */
static void cat_load(kv_cat *c, const char *path)
{
	FILE *fp = fopen(path, "rb");
	memset(c, 0, sizeof *c);
	if (!fp)
		return;
	fseek(fp, 0, SEEK_END);
	long sz = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	if (sz < 28 || sz > (32l << 20)) {
		fclose(fp);
		return;
	}
	c->data = bw_xmalloc((size_t)sz + 1);
	c->size = fread(c->data, 1, (size_t)sz, fp);
	fclose(fp);
	uint32_t magic = rd32(c->data, 0);
	int swap = magic == 0xde120495u;
	if (c->size != (size_t)sz || (magic != 0x950412deu && !swap))
		return;
	uint32_t n = rd32(c->data + 8, swap), oo = rd32(c->data + 12, swap), to = rd32(c->data + 16, swap);
	if (n > 100000 || oo + 8ull * n > c->size || to + 8ull * n > c->size)
		return;
	c->ids = bw_xcalloc(n ? n : 1, sizeof *c->ids);
	c->texts = bw_xcalloc(n ? n : 1, sizeof *c->texts);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t il = rd32(c->data + oo + 8 * i, swap), io = rd32(c->data + oo + 8 * i + 4, swap);
		uint32_t tl = rd32(c->data + to + 8 * i, swap), tof = rd32(c->data + to + 8 * i + 4, swap);
		if ((uint64_t)io + il >= c->size || (uint64_t)tof + tl >= c->size)
			return;
		c->ids[c->n] = c->data + io;
		c->texts[c->n] = c->data + tof;
		c->n++;
	}
}

static void cat_free(kv_cat *c)
{
	free(c->data);
	free(c->ids);
	free(c->texts);
}

const char *kv_msgid(const kv *v, const char *lang, const char *text)
{
	int l = lang_ix(lang);
	if (l < 0)
		return NULL;
	for (uint32_t i = 0; i < v->cat[l].n; i++)
		if (v->cat[l].ids[i][0] && !strcmp(v->cat[l].texts[i], text))
			return v->cat[l].ids[i];
	return NULL;
}

static const char *text_of(const kv *v, const char *lang, const char *msgid)
{
	int l = lang_ix(lang);
	for (uint32_t i = 0; l >= 0 && i < v->cat[l].n; i++)
		if (!strcmp(v->cat[l].ids[i], msgid))
			return v->cat[l].texts[i];
	return NULL;
}

static int on_samples(short *wav, int n, espeak_EVENT *ev)
{
	kv *v = ev ? ev->user_data : NULL;
	if (v && wav && n > 0) {
		v->sink(v->arg, wav, (size_t)n);
		v->made += (size_t)n;
	}
	return 0;
}

int kv_open(kv **out, const char *locale_dir, const char *prompts_dir, int wpm, bw_err *e)
{
	/* synchronous: samples come to the callback in this thread, nothing plays by itself */
	int hz = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, espeakINITIALIZE_DONT_EXIT);
	if (hz <= 0)
		return bw_fail(e, BW_EIO, "espeak-ng: cannot start (is espeak-ng-data installed?)");
	if (hz != KV_RATE_HZ) {
		espeak_Terminate();
		return bw_fail(e, BW_EIO, "espeak-ng: %d Hz output, %d expected", hz, KV_RATE_HZ);
	}
	espeak_SetSynthCallback(on_samples);
	kv *v = bw_xcalloc(1, sizeof *v);
	for (int i = 0; i < 3; i++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/bawaba-kiosk.mo", locale_dir, langs[i]);
		cat_load(&v->cat[i], path);
	}
	snprintf(v->prompts, sizeof v->prompts, "%s", prompts_dir ? prompts_dir : "");
	kv_set_rate(v, wpm);
	*out = v;
	return BW_OK;
}

void kv_close(kv *v)
{
	if (!v)
		return;
	for (int i = 0; i < 3; i++)
		cat_free(&v->cat[i]);
	free(v);
	espeak_Terminate();
}

void kv_set_rate(kv *v, int wpm)
{
	espeak_SetParameter(espeakRATE, wpm < 80 ? 80 : wpm > 300 ? 300 : wpm, 0);
}

/* A recording: a 16-bit mono WAV at KV_RATE_HZ; anything else is ignored (logged by the
 * prompts tool, not here: a bad file must not silence the kiosk). */
static size_t play_prompt(kv *v, const char *lang, const char *msgid, kv_sink sink, void *arg)
{
	char path[1400];
	if (!v->prompts[0] || strchr(msgid, '/'))
		return 0;
	snprintf(path, sizeof path, "%s/%s/%s.wav", v->prompts, lang, msgid);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	unsigned char h[44];
	size_t made = 0;
	if (fread(h, 1, 44, fp) == 44 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4) &&
	    h[22] == 1 && h[34] == 16 && (h[24] | h[25] << 8 | h[26] << 16) == KV_RATE_HZ) {
		int16_t buf[4096];
		size_t n;
		while ((n = fread(buf, 2, 4096, fp)) > 0) {
			sink(arg, buf, n);
			made += n;
		}
	}
	fclose(fp);
	return made;
}

/* the voice for a text: by its first letter's script; digits alone keep the screen's */
static const char *voice_of(const char *text, const char *lang)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == 0xc3)
			return "fr";
		if (*p >= 0xd8 && *p <= 0xdb)
			return "ar";
		if (*p == 0xe2 && p[1] == 0xb4)  /* U+2D30.. Tifinagh */
			return "zgh";
	}
	return strcmp(lang, "fr") ? "ar" : "fr";
}

static size_t synth(kv *v, const char *voice, const char *text, kv_sink sink, void *arg)
{
	if (espeak_SetVoiceByName(voice) != EE_OK)
		return 0;
	v->sink = sink;
	v->arg = arg;
	v->made = 0;
	espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, v);
	return v->made;
}

size_t kv_say(kv *v, const char *lang, const char *text, kv_sink sink, void *arg, int *how)
{
	const char *id = kv_msgid(v, lang, text);
	size_t n;
	*how = KV_NONE;
	if (id && (n = play_prompt(v, lang, id, sink, arg)) > 0) {
		*how = KV_PROMPT;
		return n;
	}
	const char *voice = voice_of(text, lang);
	if (!strcmp(voice, "zgh")) {
		/* the fallback rule (voice.h): the message's Arabic text, else nothing; a
		 * Tamazight text on another screen (the welcome's own-language buttons) is
		 * looked up in the Tamazight catalogue */
		if (!id)
			id = kv_msgid(v, "zgh", text);
		if (id && strcmp(lang, "zgh") && (n = play_prompt(v, "zgh", id, sink, arg)) > 0) {
			*how = KV_PROMPT;
			return n;
		}
		const char *ar = id ? text_of(v, "ar", id) : NULL;
		if (!ar)
			return 0;
		if ((n = play_prompt(v, "ar", id, sink, arg)) == 0)
			n = synth(v, "ar", ar, sink, arg);
		*how = n ? KV_FALLBACK : KV_NONE;
		return n;
	}
	n = synth(v, voice, text, sink, arg);
	*how = n ? KV_SYNTH : KV_NONE;
	return n;
}
