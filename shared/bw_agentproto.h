/* bw_agentproto.h: the messages between an agent's console and the hub: commands (queue,
 * get, move, file, devices, report) and their results, JSON, versioned, strict on input.
 * Carried on bawaba/v1/agent/<user>/up/cmd with MQTT v5 response topic and correlation
 * data; the hub answers on bawaba/v1/agent/<user>/down/reply and pushes queue changes on
 * bawaba/v1/agent/<user>/down/queue. See docs/protocol.md. */
#ifndef BW_AGENTPROTO_H
#define BW_AGENTPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "bw_err.h"
#include "bw_request.h"

#define BW_AGENT_MSG_MAX (64 * 1024)    /* largest command accepted (checked before parsing) */

enum bw_agent_op {
	BW_AOP_QUEUE = 0,   /* the requests in the agent's scope, filtered */
	BW_AOP_GET,         /* one request with its personal data and timeline */
	BW_AOP_MOVE,        /* a state change: to, note, reason (for a refusal) */
	BW_AOP_FILE,        /* a request filed at the desk for a citizen */
	BW_AOP_DEVICES,     /* the site's devices and their presence */
	BW_AOP_REPORT,      /* the commitment-10 indicators over [from, to] */
	BW_AOP_COUNT
};

const char *bw_agent_op_name(int op);

#define BW_AGENT_NOTE_MAX 2000

/* A decoded command. Strings are "" when absent. */
typedef struct bw_agent_cmd {
	int op;                            /* enum bw_agent_op */
	/* queue filter: -1 = any */
	int state, kind, channel, overdue, limit;
	char admin[BW_CODE_MAX + 1], device[BW_CODE_MAX + 1];
	/* get, move */
	char ref[BW_REF_LEN + 1];
	int to;                            /* move: enum bw_state */
	char note[BW_CHARS(BW_AGENT_NOTE_MAX)];
	char reason[BW_CODE_MAX + 1];      /* move to rejected: a bw_refusal code */
	/* report */
	char from[BW_DATE_LEN + 1], until[BW_DATE_LEN + 1];
	/* file */
	bw_request *request;               /* owned by the command (bw_agent_cmd_clear) */
} bw_agent_cmd;

void bw_agent_cmd_init(bw_agent_cmd *c);
void bw_agent_cmd_clear(bw_agent_cmd *c);

/* {"v":1,"type":"cmd","op":"move","ref":"...","to":"answered","note":"..."}; for FILE the
 * request travels under "request" in the wire format of bw_wire.h. */
int bw_agent_cmd_encode(const bw_agent_cmd *c, char **out, size_t *len, bw_err *e);
/* Strict: size limit, v = 1, type "cmd", known op, known keys for that op, types,
 * lengths, state/kind/channel names. c must be initialised. */
int bw_agent_cmd_decode(const char *json, size_t len, bw_agent_cmd *c, bw_err *e);

#endif
