/* agent.c: the agent console's screen states for the layout check: the queue, a request
 * with a long timeline and text, every dialog, in Arabic, French and Tamazight, at each
 * size. The console's commands are answered by the hub's own agent code (hub/agent.c)
 * over a seeded store, as the hub would answer them over MQTT. */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "agent/console.h"
#include "bw_agentproto.h"
#include "bw_clock.h"
#include "bw_i18n.h"
#include "bw_uuid.h"
#include "hub/agent.h"

#define NOW 1795773600  /* Friday 2026-11-27 10:00 UTC */
#define USER "agent-amina"

static const char *const lang_name[UI_LINT_LANGS] = { "data", "ar", "fr", "zgh" };
static const int lang_script[UI_LINT_LANGS] = { 0, UI_SCRIPT_ARABIC, UI_SCRIPT_LATIN, UI_SCRIPT_TIFINAGH };

#define MAX_REPLIES 16

typedef struct hubside {
	bw_store *st;
	char *reply[MAX_REPLIES];
	uint32_t corr[MAX_REPLIES];
	int n;
	uint32_t next;
} hubside;

static int send_cb(void *arg, const bw_agent_cmd *cmd, uint32_t *corr, bw_err *e)
{
	hubside *h = arg;
	char *json = NULL, *reply = NULL;
	size_t len;
	int rc = bw_agent_cmd_encode(cmd, &json, &len, e);
	if (rc == BW_OK)
		rc = hub_agent_handle(h->st, USER, json, len, NOW + 60, &reply, NULL, e);
	free(json);
	if (rc != BW_OK)
		return rc;
	if (h->n == MAX_REPLIES) {
		free(reply);
		return bw_fail(e, BW_EAGAIN, "too many commands in one frame");
	}
	*corr = ++h->next;
	h->corr[h->n] = *corr;
	h->reply[h->n++] = reply;
	return BW_OK;
}

/* The replies arrive after the frame that sent the commands, as over the network. */
static void deliver(ag_console *c, hubside *h)
{
	while (h->n > 0) {
		int n = h->n;
		char *r[MAX_REPLIES];
		uint32_t k[MAX_REPLIES];
		memcpy(r, h->reply, sizeof r);
		memcpy(k, h->corr, sizeof k);
		h->n = 0;
		for (int i = 0; i < n; i++) {
			ag_console_message(c, r[i], strlen(r[i]), k[i]);
			free(r[i]);
		}
	}
}

static void settle(ag_console *c, hubside *h)
{
	for (int i = 0; i < 3; i++) {
		ag_console_frame(c, 1000000 + i, NOW);
		deliver(c, h);
	}
	ag_console_frame(c, 1000010, NOW);
}

static const char *const long_text =
	"Je demande le budget 2025 de la ligne de bus 12, les chiffres de fréquentation mois par mois, "
	"le contrat de délégation avec ses annexes et le rapport du comité de suivi. "
	"طلبت منذ شهرين الحصول على محضر اجتماع المجلس الجماعي ولم أتلق أي جواب رغم زيارتين إلى المكتب. "
	"Je demande le budget 2025 de la ligne de bus 12, les chiffres de fréquentation mois par mois.";

static int add_request(bw_store *st, int kind, const char *admin, int channel, const char *text,
                       int64_t at, char ref[13], bw_err *e)
{
	bw_request *r = calloc(1, sizeof *r);
	bw_request_init(r);
	bw_uuid_v7(r->uid, NULL);
	int rc = bw_store_next_ref(st, 5, r->ref, e);
	r->kind = kind;
	r->channel = channel;
	strcpy(r->admin, admin);
	strcpy(r->site, "RABAT-IMMAT");
	strcpy(r->device, channel == BW_CHANNEL_SMS ? "gateway-01" : "kiosk-01");
	snprintf(r->text, sizeof r->text, "%s", text);
	strcpy(r->phone, "0612345678");
	r->consent = 1;
	r->received_at = at;
	bw_day_format(bw_legal_day(at), r->received_on);
	if (kind == BW_KIND_INFO) {
		strcpy(r->name, "Fatima-Zahra El Idrissi El Alaoui");
		strcpy(r->id_number, "AB123456");
		strcpy(r->contact, "fatima-zahra.el-idrissi@exemple.ma");
		r->form = BW_FORM_EMAIL;
		r->urgent = at < NOW - 86400 * 20;  /* the opened one is not: it gets extended */
	}
	if (rc == BW_OK)
		rc = bw_store_insert(st, r, channel == BW_CHANNEL_SMS ? "device:gateway-01" : "device:kiosk-01", e);
	memcpy(ref, r->ref, 13);
	free(r);
	return rc;
}

/* A queue with requests of each kind and channel, the one opened with a long timeline. */
static int seed(bw_store *st, char open_ref[13], bw_err *e)
{
	hub_agent a = { .active = 1 };
	char ref[13];
	strcpy(a.id, USER);
	strcpy(a.name, "Amina");
	strcpy(a.site, "RABAT-IMMAT");
	int rc = hub_agent_add(st, &a, 0, NOW - 86400 * 30, e);
	if (!rc)
		rc = add_request(st, BW_KIND_INFO, "TRANSPORT", BW_CHANNEL_KIOSK, long_text, NOW - 86400 * 10, open_ref, e);
	static const int steps[] = { BW_ST_ASSIGNED, BW_ST_IN_PROGRESS, BW_ST_EXTENDED };
	for (int i = 0; !rc && i < 3; i++)
		rc = bw_store_transition(st, open_ref, steps[i], "agent:amina",
					 i == 2 ? "Les chiffres de fréquentation sont chez le délégataire." : i == 0 ? "agent-amina" : "",
					 NOW - 86400 * (8 - 3 * i), NULL, e);
	for (int i = 0; !rc && i < 12; i++) {
		const char *p = long_text + (i * 37) % 200;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;  /* on a character */
		rc = add_request(st, i % 4, i % 3 ? "MAECE" : "TRANSPORT", i % 2 ? BW_CHANNEL_SMS : BW_CHANNEL_KIOSK,
				 p, NOW - 86400 * (i * 7 % 80), ref, e);
	}
	return rc;
}

typedef struct astate {
	const char *name;
	int modal_key;            /* a shortcut typed after opening the request, 0 none */
	const char *text;
} astate;

static const astate states[] = {
	{ "queue", 0, NULL }, { "request", 0, "" }, { "assign", 0, "a" }, { "answer", 0, "r" },
	{ "extend", 0, "e" }, { "reject", 0, "x" }, { "file", 0, "n" }, { "filter", 0, "/" },
};

int lay_agent(lay *L)
{
	static ag_console c;
	static hubside h;
	bw_err e;
	char open_ref[13];
	if (bw_i18n_init("agent", L->locale_dir, &e) != BW_OK || bw_store_open(&h.st, ":memory:", 0, &e) != BW_OK ||
	    bw_store_seed(h.st, &e) != BW_OK || seed(h.st, open_ref, &e) != BW_OK) {
		fprintf(stderr, "layout-check: agent: %s\n", e.msg);
		return 1;
	}
	ui_text_ops ops = kr_text_ops(L->r);
	ag_sender snd = { &h, send_cb };
	for (int lang = 0; lang < AG_LANG_COUNT; lang++)
		for (int z = 0; z < LAY_NSIZES; z++)
			for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
				if (L->only[0] && !strstr(states[i].name, L->only))
					continue;
				if (ag_console_init(&c, &ops, lay_sizes[z][0], lay_sizes[z][1], USER, "RABAT-IMMAT", lang, h.st,
						    &snd, NULL, &e) != BW_OK) {
					fprintf(stderr, "layout-check: agent: %s\n", e.msg);
					bw_store_close(h.st);
					return 1;
				}
				ag_console_net(&c, AG_SHOW_ONLINE, "");
				ag_console_refresh(&c);
				settle(&c, &h);
				if (states[i].text) {
					for (int v = 0; v < ag_model_view_count(&c.model); v++)
						if (!strcmp(ag_model_view_row(&c.model, v)->ref, open_ref))
							ag_console_open(&c, v);
					settle(&c, &h);
					if (states[i].text[0])
						ag_console_text(&c, states[i].text);
					settle(&c, &h);
				}
				snprintf(L->where, sizeof L->where, "agent %s %dx%d %s", lang_name[lang + 1], lay_sizes[z][0],
					 lay_sizes[z][1], states[i].name);
				lay_check(L, c.ui, 32, lang_script, lang_name);
				deliver(&c, &h);
				ag_console_free(&c);
			}
	bw_store_close(h.st);
	return 0;
}
