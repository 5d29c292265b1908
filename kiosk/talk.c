/* talk.c: glue of the kiosk's speech: compose (speech.c), voice (voice.c), play
 * (audio.c), log for the tests, and the key-to-first-sample figure. */
#include "talk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "bw_clock.h"
#include "voice.h"

struct talk {
	kv *v;
	ka *a;
	FILE *log;
	ks_state st;
	int64_t key_ms;           /* when the last key arrived, 0: none pending */
	const bw_log *blog;
};

talk *talk_open(const kiosk_conf *c, const bw_log *log)
{
	bw_err e = { 0 };
	if (!c->speech)
		return NULL;
	talk *t = bw_xcalloc(1, sizeof *t);
	t->blog = log;
	ks_reset(&t->st);
	if (kv_open(&t->v, c->locale_dir, c->prompts_dir, c->rate, &e) != BW_OK ||
	    ka_open(&t->a, KV_RATE_HZ, c->volume, &e) != BW_OK) {
		if (log)
			log_error(log, "speech off: %s", e.msg);
		talk_close(t);
		return NULL;
	}
	if (c->speech_log[0] && !(t->log = fopen(c->speech_log, "a")) && log)
		log_error(log, "speech log %s: cannot open", c->speech_log);
	return t;
}

void talk_close(talk *t)
{
	if (!t)
		return;
	ka_close(t->a);
	kv_close(t->v);
	if (t->log)
		fclose(t->log);
	free(t);
}

void talk_key(talk *t)
{
	if (!t)
		return;
	t->key_ms = bw_mono_ms();
	ka_mark(t->a);
}

void talk_wipe(talk *t)
{
	if (!t)
		return;
	ka_stop(t->a);
	ks_reset(&t->st);
	t->key_ms = 0;
	if (t->log) {
		fprintf(t->log, "wipe\n");
		fflush(t->log);
	}
}

void talk_frame(talk *t, kiosk *k, int key)
{
	static const char *const how_name[] = { "none", "prompt", "synth", "fallback" };
	char text[4096];
	if (!t || !ks_compose(&t->st, k, key, text, sizeof text))
		return;
	const char *lang = kiosk_lang_code[k->lang];
	ka_stop(t->a);  /* a new utterance interrupts the last one */
	size_t total = 0;
	char hows[64] = "";
	for (char *line = text, *nl; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		int how;
		total += kv_say(t->v, lang, line, ka_play, t->a, &how);
		if (strlen(hows) + 10 < sizeof hows)
			strcat(strcat(hows, *hows ? "," : ""), how_name[how]);
		if (nl)
			nl[-1] = '|';  /* the log's segment separator */
	}
	long lat = t->key_ms && ka_first_ms(t->a) ? (long)(ka_first_ms(t->a) - t->key_ms) : -1;
	t->key_ms = 0;
	if (t->log) {
		/* focus moves so far, language, screen, samples, ms from the key to the first
		 * sample queued, how each segment was voiced, then the segments */
		fprintf(t->log, "say\t%u\t%s\t%d\t%zu\t%ld\t%s\t", k->ui->kmoves, lang, k->screen, total, lat, hows);
		for (const char *p = text; *p; p++)
			fputc(*p == '\t' ? ' ' : *p, t->log);
		fputc('\n', t->log);
		fflush(t->log);
	}
}
