/* broker_users.c: the broker's users (devices, agents, the hub) as mosquitto's dynamic
 * security plugin keeps them in DIR/dynsec.json: registering, rotating, disabling,
 * enabling, removing and listing them.
 *
 * Every change is a list of the plugin's own commands (createRole, createClient,
 * setClientPassword, disableClient, ...). With the broker running they go to it on its
 * $CONTROL/dynamic-security/v1 topic: the plugin applies them at once (a disabled or
 * removed client is disconnected there and then) and saves the file itself. With no
 * broker running the same commands are applied to the file here, which the broker reads
 * when it starts. One form of change, two places to apply it: they cannot drift. */
#include "broker.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <mosquitto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define SITE_MAX 32
#define ADMIN_USER "_admin"        /* not a valid device id: no device can take it */
#define CONTROL_TOPIC "$CONTROL/dynamic-security/v1"
#define CONTROL_WAIT_MS 5000
/* the plugin's own hashing (and mosquitto_passwd's "$7$"): PBKDF2-HMAC-SHA512 */
#define PW_ITERATIONS 101
#define PW_SALT_LEN 12
#define PW_HASH_LEN 64

int bw_broker_password(char *out, size_t size, bw_err *e)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[BW_BROKER_PASSWORD_LEN * 3 / 4];
	if (size < BW_BROKER_PASSWORD_LEN + 1)
		return bw_fail(e, BW_ETOOBIG, "password: buffer of %zu bytes is too small", size);
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return bw_fail(e, BW_EIO, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	/* base64url of 24 bytes: 4 characters per 3 bytes, no padding needed */
	size_t o = 0;
	for (size_t i = 0; i < sizeof raw; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		out[o++] = abc[(v >> 6) & 63];
		out[o++] = abc[v & 63];
	}
	out[o] = '\0';
	explicit_bzero(raw, sizeof raw);
	return BW_OK;
}

int bw_broker_id_valid(int kind, const char *id)
{
	size_t n = strlen(id);
	if (n < 1 || n > BW_BROKER_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
		if (!ok)
			return 0;
	}
	int agent = strncmp(id, BW_BROKER_AGENT_PREFIX, strlen(BW_BROKER_AGENT_PREFIX)) == 0;
	int hub = strcmp(id, BW_BROKER_HUB_USER) == 0;
	switch (kind) {
	case BW_BROKER_HUB:
		return hub;
	case BW_BROKER_AGENT:
		return agent && n > strlen(BW_BROKER_AGENT_PREFIX);
	case BW_BROKER_KIOSK:
	case BW_BROKER_GATEWAY:
		return !agent && !hub;
	}
	return 0;
}

int bw_broker_device_conf_path(const char *dir, const char *id, char *out, size_t size,
	bw_err *e)
{
	int n = snprintf(out, size, "%s/devices/%s.conf", dir, id);
	if (n < 0 || (size_t)n >= size)
		return bw_fail(e, BW_ETOOBIG, "path: %s/devices/%s.conf is too long", dir, id);
	return BW_OK;
}

static int site_valid(const char *s)
{
	if (strlen(s) > SITE_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
				*s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* The host a device should dial: the bind address, unless it is a wildcard. */
static void device_host(const bw_broker_settings *s, char *out, size_t size)
{
	if (strcmp(s->bind, "0.0.0.0") == 0 || strcmp(s->bind, "::") == 0) {
		if (gethostname(out, size) == 0 && out[0]) {
			out[size - 1] = '\0';
			return;
		}
		bw_strlcpy(out, "localhost", size);
		return;
	}
	bw_strlcpy(out, s->bind, size);
}


/* ---- the commands ---- */

static void acl(json_t *acls, const char *type, const char *topic)
{
	json_array_append_new(acls, json_pack("{s:s, s:s, s:b}", "acltype", type, "topic", topic,
		"allow", 1));
}

/* The rights of user id of kind: the protocol's leaf topics and nothing else, so a
 * device cannot leave retained messages on topics of its own choosing (docs/protocol.md,
 * "Who may do what"). The plugin has no %u substitution: each user has its own role. */
static json_t *role_acls(int kind, const char *id)
{
	static const char *const dev_up[] = { "req", "evt", "query", "presence" };
	json_t *a = json_array();
	char t[160];
	switch (kind) {
	case BW_BROKER_HUB:
		acl(a, "subscribePattern", BW_BROKER_ROOT "/dev/+/up/#");
		acl(a, "subscribePattern", BW_BROKER_ROOT "/agent/+/up/#");
		acl(a, "subscribePattern", BW_BROKER_ROOT "/pub/#");
		acl(a, "publishClientSend", BW_BROKER_ROOT "/dev/+/down/#");
		acl(a, "publishClientSend", BW_BROKER_ROOT "/agent/+/down/#");
		acl(a, "publishClientSend", BW_BROKER_ROOT "/pub/#");
		break;
	case BW_BROKER_AGENT:
		snprintf(t, sizeof t, BW_BROKER_ROOT "/agent/%s/up/cmd", id);
		acl(a, "publishClientSend", t);
		snprintf(t, sizeof t, BW_BROKER_ROOT "/agent/%s/down/#", id);
		acl(a, "subscribePattern", t);
		acl(a, "subscribePattern", BW_BROKER_ROOT "/pub/#");
		break;
	default:
		for (size_t i = 0; i < sizeof dev_up / sizeof dev_up[0]; i++) {
			snprintf(t, sizeof t, BW_BROKER_ROOT "/dev/%s/up/%s", id, dev_up[i]);
			acl(a, "publishClientSend", t);
		}
		snprintf(t, sizeof t, BW_BROKER_ROOT "/dev/%s/down/#", id);
		acl(a, "subscribePattern", t);
		acl(a, "subscribePattern", BW_BROKER_ROOT "/pub/#");
		break;
	}
	return a;
}

static void cmd_add(json_t *cmds, json_t *cmd)
{
	json_array_append_new(cmds, cmd);
}

static void cmd_create(json_t *cmds, int kind, const char *id, const char *pw)
{
	cmd_add(cmds, json_pack("{s:s, s:s, s:o}", "command", "createRole", "rolename", id,
		"acls", role_acls(kind, id)));
	cmd_add(cmds, json_pack("{s:s, s:s, s:s, s:[{s:s}]}", "command", "createClient",
		"username", id, "password", pw, "roles", "rolename", id));
}

static json_t *cmd_user(const char *command, const char *id)
{
	return json_pack("{s:s, s:s}", "command", command, "username", id);
}

/* ---- applied to the file (no broker running) ---- */

static int b64(const unsigned char *in, int n, char *out, size_t size)
{
	if ((size_t)(4 * ((n + 2) / 3) + 1) > size)
		return BW_ETOOBIG;
	EVP_EncodeBlock((unsigned char *)out, in, n);
	return BW_OK;
}

/* Sets the plugin's password fields of client c: base64 salt and PBKDF2 hash. */
static int set_hash(json_t *c, const char *pw, bw_err *e)
{
	unsigned char salt[PW_SALT_LEN], hash[PW_HASH_LEN];
	char s64[32], h64[96];
	size_t got = 0;
	while (got < sizeof salt) {
		ssize_t r = getrandom(salt + got, sizeof salt - got, 0);
		if (r < 0 && errno != EINTR)
			return bw_fail(e, BW_EIO, "getrandom: %s", strerror(errno));
		if (r > 0)
			got += (size_t)r;
	}
	if (!PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, sizeof salt, PW_ITERATIONS, EVP_sha512(),
			sizeof hash, hash))
		return bw_fail(e, BW_EIO, "password: PBKDF2 failed");
	b64(salt, sizeof salt, s64, sizeof s64);
	b64(hash, sizeof hash, h64, sizeof h64);
	json_object_set_new(c, "salt", json_string(s64));
	json_object_set_new(c, "password", json_string(h64));
	json_object_set_new(c, "iterations", json_integer(PW_ITERATIONS));
	explicit_bzero(hash, sizeof hash);
	return BW_OK;
}

/* The element of array arr whose member key is name, and its index; NULL if none. */
static json_t *find(json_t *arr, const char *key, const char *name, size_t *at)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(json_object_get(v, key));
		if (s && strcmp(s, name) == 0) {
			if (at)
				*at = i;
			return v;
		}
	}
	return NULL;
}

/* Applies one command to the plugin's file content: the subset bawaba sends, with the
 * plugin's own error wording. */
static int offline_one(json_t *file, json_t *cmd, bw_err *e)
{
	json_t *clients = json_object_get(file, "clients"), *roles = json_object_get(file, "roles");
	const char *c = json_string_value(json_object_get(cmd, "command"));
	const char *user = json_string_value(json_object_get(cmd, "username"));
	const char *role = json_string_value(json_object_get(cmd, "rolename"));
	size_t at;
	if (!json_is_array(clients) || !json_is_array(roles) || !c)
		return bw_fail(e, BW_EINVAL, "dynsec.json: no clients or roles array");
	if (strcmp(c, "createRole") == 0) {
		if (find(roles, "rolename", role, NULL))
			return bw_fail(e, BW_EEXIST, "createRole %s: Role already exists", role);
		json_array_append_new(roles, json_pack("{s:s, s:O}", "rolename", role,
			"acls", json_object_get(cmd, "acls")));
		return BW_OK;
	}
	if (strcmp(c, "deleteRole") == 0) {
		if (!find(roles, "rolename", role, &at))
			return bw_fail(e, BW_ENOTFOUND, "deleteRole %s: Role not found", role);
		json_array_remove(roles, at);
		return BW_OK;
	}
	if (strcmp(c, "createClient") == 0) {
		if (find(clients, "username", user, NULL))
			return bw_fail(e, BW_EEXIST, "createClient %s: Client already exists", user);
		json_t *cl = json_pack("{s:s, s:O}", "username", user, "roles", json_object_get(cmd, "roles"));
		int rc = set_hash(cl, json_string_value(json_object_get(cmd, "password")), e);
		if (rc == BW_OK)
			json_array_append(clients, cl);
		json_decref(cl);
		return rc;
	}
	json_t *cl = find(clients, "username", user, &at);
	if (!cl)
		return bw_fail(e, BW_ENOTFOUND, "%s %s: Client not found", c, user);
	if (strcmp(c, "setClientPassword") == 0)
		return set_hash(cl, json_string_value(json_object_get(cmd, "password")), e);
	if (strcmp(c, "disableClient") == 0 || strcmp(c, "enableClient") == 0) {
		json_object_set_new(cl, "disabled", json_boolean(c[0] == 'd'));
		return BW_OK;
	}
	if (strcmp(c, "deleteClient") == 0) {
		json_array_remove(clients, at);
		return BW_OK;
	}
	return bw_fail(e, BW_EINVAL, "%s: not a command bawaba applies to the file", c);
}

static int load_file(const char *dir, json_t **out, char *path, size_t size, bw_err *e)
{
	int rc = bw_broker__path_join(path, size, dir, "dynsec.json", e);
	if (rc)
		return rc;
	json_error_t je;
	*out = json_load_file(path, 0, &je);
	if (!*out)
		return bw_fail(e, access(path, F_OK) ? BW_ENOTFOUND : BW_EINVAL, "%s: %s (line %d)",
			path, je.text, je.line);
	return BW_OK;
}

static int save_file(const char *path, json_t *file, bw_err *e)
{
	char *text = json_dumps(file, JSON_INDENT(1));
	if (!text)
		return bw_fail(e, BW_ENOMEM, "%s: cannot encode", path);
	int rc = bw_broker__write_atomic(path, text, strlen(text), 0600, e);
	explicit_bzero(text, strlen(text));
	free(text);
	return rc;
}

/* All or nothing: the file is written only if every command applied. */
static int apply_offline(const char *dir, json_t *cmds, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX];
	json_t *file;
	int rc = load_file(dir, &file, path, sizeof path, e);
	if (rc)
		return rc;
	size_t i;
	json_t *cmd;
	json_array_foreach(cmds, i, cmd)
		if ((rc = offline_one(file, cmd, e)))
			break;
	if (rc == BW_OK)
		rc = save_file(path, file, e);
	json_decref(file);
	return rc;
}

/* ---- sent to the running broker ---- */

typedef struct control {
	int connack;        /* -1 until CONNACK, then its reason code */
	int subscribed;     /* the SUBACK of the response topic came */
	char *response;     /* the first response, malloc'ed */
} control;

static void on_connect(struct mosquitto *m, void *arg, int rc)
{
	((control *)arg)->connack = rc;
}

static void on_subscribe(struct mosquitto *m, void *arg, int mid, int n, const int *qos)
{
	((control *)arg)->subscribed = n == 1 && qos[0] < 0x80 ? 1 : -1;
}

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg)
{
	control *c = arg;
	if (!c->response && strcmp(msg->topic, CONTROL_TOPIC "/response") == 0) {
		c->response = bw_xmalloc((size_t)msg->payloadlen + 1);
		memcpy(c->response, msg->payload, (size_t)msg->payloadlen);
		c->response[msg->payloadlen] = '\0';
	}
}

/* The first error among the plugin's responses ({"responses":[{"command":…,"error":…}]}). */
static int response_error(const char *text, bw_err *e)
{
	json_error_t je;
	json_t *r = json_loads(text, 0, &je), *v;
	size_t i;
	int rc = r ? BW_OK : bw_fail(e, BW_EIO, "broker: unreadable answer from the security plugin");
	json_array_foreach(json_object_get(r, "responses"), i, v) {
		const char *err = json_string_value(json_object_get(v, "error"));
		if (!err)
			continue;
		const char *cmd = json_string_value(json_object_get(v, "command"));
		rc = bw_fail(e, strstr(err, "already exists") ? BW_EEXIST : strstr(err, "not found") ?
			BW_ENOTFOUND : BW_EIO, "broker: %s: %s", cmd ? cmd : "?", err);
		break;
	}
	json_decref(r);
	return rc;
}

/* The pump of a blocking exchange: connect, subscribe to the response topic, publish the
 * commands once subscribed, wait for the answer. A CLI's one exchange: no event loop to
 * share, so libmosquitto's own blocking loop is the simple right tool. */
static int exchange(struct mosquitto *m, control *c, const char *payload, bw_err *e)
{
	long deadline = bw_broker__now_ms() + CONTROL_WAIT_MS;
	int sub_sent = 0, pub_sent = 0;
	while (!c->response) {
		if (bw_broker__now_ms() > deadline)
			return bw_fail(e, BW_EAGAIN, "broker: no answer from the security plugin in %d s",
				CONTROL_WAIT_MS / 1000);
		int rc = mosquitto_loop(m, 50, 1);
		if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN)
			return bw_fail(e, BW_EIO, "broker: %s", mosquitto_strerror(rc));
		if (c->connack > 0)
			return bw_fail(e, BW_EPERM, "broker: the administrator was refused (%s); is %s right?",
				mosquitto_connack_string(c->connack), "DIR/dynsec-admin");
		if (c->connack == 0 && !sub_sent) {
			mosquitto_subscribe(m, NULL, CONTROL_TOPIC "/response", 1);
			sub_sent = 1;
		}
		if (c->subscribed < 0)
			return bw_fail(e, BW_EPERM, "broker: the administrator may not read %s",
				CONTROL_TOPIC "/response");
		if (c->subscribed > 0 && !pub_sent) {
			mosquitto_publish(m, NULL, CONTROL_TOPIC, (int)strlen(payload), payload, 1, false);
			pub_sent = 1;
		}
	}
	return response_error(c->response, e);
}

static int read_secret(const char *dir, char *pw, size_t size, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX];
	int rc = bw_broker__path_join(path, sizeof path, dir, "dynsec-admin", e);
	if (rc)
		return rc;
	long n = bw_broker__read_part(path, 0, pw, size);
	if (n <= 0)
		return bw_fail(e, BW_ENOTFOUND, "%s: cannot read the administrator's password", path);
	pw[strcspn(pw, "\n")] = '\0';
	return BW_OK;
}

static int apply_online(const char *dir, json_t *cmds, bw_err *e)
{
	bw_broker_settings s;
	char pw[128];
	int rc;
	if ((rc = bw_broker_read_config(dir, &s, e)) || (rc = read_secret(dir, pw, sizeof pw, e)))
		return rc;
	const char *host = strcmp(s.bind, "0.0.0.0") == 0 ? "127.0.0.1" :
		strcmp(s.bind, "::") == 0 ? "::1" : s.bind;
	json_t *msg = json_pack("{s:O}", "commands", cmds);
	char *payload = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	control c = { .connack = -1 };
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(ADMIN_USER, true, &c);
	if (!m || !payload) {
		rc = bw_fail(e, BW_ENOMEM, "broker: out of memory");
		goto out;
	}
	mosquitto_username_pw_set(m, ADMIN_USER, pw);
	/* the administrator dials the broker's own address, which a certificate made for the
	 * devices' host name may not name: the chain is still checked against the CA */
	if (s.cafile[0] && (mosquitto_tls_set(m, s.cafile, NULL, NULL, NULL, NULL) != MOSQ_ERR_SUCCESS ||
			mosquitto_tls_insecure_set(m, true) != MOSQ_ERR_SUCCESS)) {
		rc = bw_fail(e, BW_EIO, "broker: cannot use %s for TLS", s.cafile);
		goto out;
	}
	mosquitto_connect_callback_set(m, on_connect);
	mosquitto_subscribe_callback_set(m, on_subscribe);
	mosquitto_message_callback_set(m, on_message);
	int mr = mosquitto_connect(m, host, s.port, 30);
	if (mr != MOSQ_ERR_SUCCESS) {
		rc = bw_fail(e, BW_EIO, "broker: cannot connect to %s port %d: %s", host, s.port,
			mosquitto_strerror(mr));
		goto out;
	}
	rc = exchange(m, &c, payload, e);
	mosquitto_disconnect(m);
out:
	if (payload) {
		explicit_bzero(payload, strlen(payload));   /* it may hold a new password */
		free(payload);
	}
	explicit_bzero(pw, sizeof pw);
	free(c.response);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	return rc;
}

/* Applies cmds (consumed) to the running broker, or to the file if none runs. The caller
 * holds DIR/.lock, so the broker cannot start half-way through a change to its file. */
static int apply(const char *dir, json_t *cmds, bw_err *e)
{
	pid_t pid;
	int rc = bw_broker_running_pid(dir, &pid, NULL) == BW_OK ? apply_online(dir, cmds, e)
		: apply_offline(dir, cmds, e);
	json_decref(cmds);
	return rc;
}

/* ---- the users ---- */

/* Reads "key=value" from an INI file (the first such line) into out; "" if absent. */
static void conf_value(const char *path, const char *key, char *out, size_t size)
{
	char buf[4096];
	out[0] = '\0';
	if (bw_broker__read_part(path, 0, buf, sizeof buf) <= 0)
		return;
	size_t kl = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == '=') {
			size_t n = strcspn(l + kl + 1, "\n");
			snprintf(out, size, "%.*s", (int)n, l + kl + 1);
			return;
		}
	}
}

/* 1 if id is a user in the plugin's file, 0 if not; negative if the file is unreadable. */
static int user_known(const char *dir, const char *id, int *disabled, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX];
	json_t *file;
	int rc = load_file(dir, &file, path, sizeof path, e);
	if (rc)
		return rc;
	json_t *c = find(json_object_get(file, "clients"), "username", id, NULL);
	if (disabled)
		*disabled = c && json_is_true(json_object_get(c, "disabled"));
	json_decref(file);
	return c != NULL;
}

static int register_locked(const char *dir, int kind, const char *id, const char *kname,
	const char *host, const char *site, int port, const char *cafile, unsigned flags,
	char *password_out, size_t size, bw_err *e)
{
	char conf[BW_BROKER_PATH_MAX], pw[BW_BROKER_PASSWORD_LEN + 1], text[2048];
	int rc, known = user_known(dir, id, NULL, e);
	if (known < 0)
		return known;
	if ((rc = bw_broker_device_conf_path(dir, id, conf, sizeof conf, e)))
		return rc;
	if ((known || access(conf, F_OK) == 0) && !(flags & BW_BROKER_ROTATE))
		return bw_fail(e, BW_EEXIST, "%s is already registered (--rotate issues a new password)", id);
	if ((rc = bw_broker_password(pw, sizeof pw, e)))
		return rc;
	json_t *cmds = json_array();
	if (known)
		cmd_add(cmds, json_pack("{s:s, s:s, s:s}", "command", "setClientPassword",
			"username", id, "password", pw));
	else
		cmd_create(cmds, kind, id, pw);
	if ((rc = apply(dir, cmds, e)))
		goto out;
	int n = snprintf(text, sizeof text,
		"# %s: bawaba broker credentials of %s '%s'; secret, keep mode 0600.\n"
		"[broker]\nhost=%s\nport=%d\nusername=%s\npassword=%s\ncafile=%s\n"
		"\n[device]\nid=%s\nkind=%s\nsite=%s\n",
		conf, kname, id, host, port, id, pw, cafile, id, kname, site);
	if (n < 0 || (size_t)n >= sizeof text)
		rc = bw_fail(e, BW_ETOOBIG, "%s: config text too long", conf);
	else
		rc = bw_broker__write_atomic(conf, text, (size_t)n, 0600, e);
	if (rc == BW_OK && password_out && bw_strlcpy(password_out, pw, size))
		rc = bw_fail(e, BW_ETOOBIG, "password: buffer of %zu bytes is too small", size);
out:
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(text, sizeof text);
	return rc;
}

int bw_broker_register(const char *dir, int kind, const char *id, const bw_broker_device *dev,
	unsigned flags, char *password_out, size_t size, bw_err *e)
{
	const char *kname = bw_broker_kind_name(kind);
	if (!kname)
		return bw_fail(e, BW_EINVAL, "kind: %d is not a broker user kind", kind);
	if (!bw_broker_id_valid(kind, id)) {
		if (kind == BW_BROKER_HUB)
			return bw_fail(e, BW_EINVAL, "id: the hub's user is always '" BW_BROKER_HUB_USER "'");
		if (kind == BW_BROKER_AGENT)
			return bw_fail(e, BW_EINVAL, "id: '%s' is not a valid agent id (agent-NAME, lower-case letters, digits, '-', at most %d)", id, BW_BROKER_ID_MAX);
		return bw_fail(e, BW_EINVAL, "id: '%s' is not a valid %s id ([a-z0-9][a-z0-9-]{0,31}, not 'hub', not starting with 'agent-')", id, kname);
	}
	const char *site = dev && dev->site ? dev->site : "";
	if (!site_valid(site))
		return bw_fail(e, BW_EINVAL, "site: '%s' is not a site code (letters, digits, '-', '_', '.', at most %d)", site, SITE_MAX);
	bw_broker_settings s;
	int rc = bw_broker_read_config(dir, &s, e);
	if (rc)
		return rc;
	char host[BW_BROKER_HOST_MAX];
	if (dev && dev->host && dev->host[0])
		bw_strlcpy(host, dev->host, sizeof host);
	else
		device_host(&s, host, sizeof host);
	if (strpbrk(host, "\n\r"))
		return bw_fail(e, BW_EINVAL, "host: contains a line break");
	int lfd;
	if ((rc = bw_broker__lock(dir, &lfd, e)))
		return rc;
	rc = register_locked(dir, kind, id, kname, host, site, s.port, s.cafile, flags,
		password_out, size, e);
	close(lfd);   /* releases the lock */
	return rc;
}

int bw_broker_user_set(const char *dir, const char *id, int what, bw_err *e)
{
	if (strcmp(id, BW_BROKER_HUB_USER) == 0)
		return bw_fail(e, BW_EPERM, "the hub's user cannot be disabled or removed (register hub hub --rotate renews its password)");
	if (strcmp(id, ADMIN_USER) == 0 || strchr(id, '/'))
		return bw_fail(e, BW_ENOTFOUND, "%s: no such device or agent", id);
	int lfd, rc = bw_broker__lock(dir, &lfd, e);
	if (rc)
		return rc;
	int known = user_known(dir, id, NULL, e);
	if (known <= 0) {
		rc = known < 0 ? known : bw_fail(e, BW_ENOTFOUND, "%s: no such device or agent", id);
		goto out;
	}
	json_t *cmds = json_array();
	if (what == BW_BROKER_REMOVE) {
		cmd_add(cmds, cmd_user("deleteClient", id));
		cmd_add(cmds, json_pack("{s:s, s:s}", "command", "deleteRole", "rolename", id));
	} else {
		cmd_add(cmds, cmd_user(what == BW_BROKER_DISABLE ? "disableClient" : "enableClient", id));
	}
	if ((rc = apply(dir, cmds, e)))
		goto out;
	if (what == BW_BROKER_REMOVE) {
		char conf[BW_BROKER_PATH_MAX];
		if (bw_broker_device_conf_path(dir, id, conf, sizeof conf, NULL) == BW_OK &&
				unlink(conf) < 0 && errno != ENOENT)
			rc = bw_fail(e, BW_EIO, "%s: %s", conf, strerror(errno));
	}
out:
	close(lfd);
	return rc;
}

int bw_broker_users_list(const char *dir, bw_broker_user **out, size_t *n, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], conf[BW_BROKER_PATH_MAX];
	json_t *file, *v;
	size_t i;
	int lfd, rc = bw_broker__lock(dir, &lfd, e);
	if (rc)
		return rc;
	rc = load_file(dir, &file, path, sizeof path, e);
	close(lfd);
	if (rc)
		return rc;
	json_t *clients = json_object_get(file, "clients");
	*out = bw_xcalloc(json_array_size(clients) + 1, sizeof **out);
	*n = 0;
	json_array_foreach(clients, i, v) {
		const char *id = json_string_value(json_object_get(v, "username"));
		if (!id || strcmp(id, ADMIN_USER) == 0)
			continue;
		bw_broker_user *u = &(*out)[(*n)++];
		bw_strlcpy(u->id, id, sizeof u->id);
		u->disabled = json_is_true(json_object_get(v, "disabled"));
		if (bw_broker_device_conf_path(dir, id, conf, sizeof conf, NULL) == BW_OK) {
			conf_value(conf, "kind", u->kind, sizeof u->kind);
			conf_value(conf, "site", u->site, sizeof u->site);
		}
	}
	json_decref(file);
	return BW_OK;
}

/* Carries the users of an older directory's password file (mosquitto_passwd's
 * "user:$7$ITERATIONS$SALT$HASH", the same PBKDF2-SHA512 the plugin uses) into file. */
static void import_passwd(const char *dir, json_t *file)
{
	char path[BW_BROKER_PATH_MAX], conf[BW_BROKER_PATH_MAX], kind[16];
	if (bw_broker__path_join(path, sizeof path, dir, "passwd", NULL))
		return;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char *save = NULL;
		char *user = strtok_r(line, ":", &save), *alg = strtok_r(NULL, "$", &save);
		char *iter = strtok_r(NULL, "$", &save), *salt = strtok_r(NULL, "$", &save);
		char *hash = strtok_r(NULL, "$\n", &save);
		if (!user || !hash || strcmp(alg, "7") != 0 ||
				bw_broker_device_conf_path(dir, user, conf, sizeof conf, NULL))
			continue;
		conf_value(conf, "kind", kind, sizeof kind);
		int k = bw_broker_kind_parse(kind, NULL);
		if (k < 0 || !bw_broker_id_valid(k, user))
			continue;
		json_array_append_new(json_object_get(file, "roles"), json_pack("{s:s, s:o}",
			"rolename", user, "acls", role_acls(k, user)));
		json_array_append_new(json_object_get(file, "clients"), json_pack(
			"{s:s, s:s, s:s, s:i, s:[{s:s}]}", "username", user, "password", hash,
			"salt", salt, "iterations", atoi(iter), "roles", "rolename", user));
	}
	fclose(f);
}

int bw_broker_users_init(const char *dir, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], secret[BW_BROKER_PATH_MAX], pw[BW_BROKER_PASSWORD_LEN + 1];
	int rc;
	if ((rc = bw_broker__path_join(path, sizeof path, dir, "dynsec.json", e)) ||
			(rc = bw_broker__path_join(secret, sizeof secret, dir, "dynsec-admin", e)))
		return rc;
	if (access(path, F_OK) == 0)
		return BW_OK;
	if ((rc = bw_broker_password(pw, sizeof pw, e)))
		return rc;
	/* what nobody is granted is refused: no publishing, no subscribing */
	json_t *file = json_pack("{s:[], s:[], s:{s:b, s:b, s:b, s:b}}", "clients", "roles",
		"defaultACLAccess", "publishClientSend", 0, "publishClientReceive", 1,
		"subscribe", 0, "unsubscribe", 1);
	json_t *admin_acls = json_array();
	acl(admin_acls, "publishClientSend", CONTROL_TOPIC);
	acl(admin_acls, "subscribePattern", CONTROL_TOPIC "/#");
	acl(admin_acls, "publishClientReceive", CONTROL_TOPIC "/#");
	json_array_append_new(json_object_get(file, "roles"), json_pack("{s:s, s:o}",
		"rolename", ADMIN_USER, "acls", admin_acls));
	json_t *admin = json_pack("{s:s, s:[{s:s}]}", "username", ADMIN_USER, "roles",
		"rolename", ADMIN_USER);
	if ((rc = set_hash(admin, pw, e)) == BW_OK) {
		json_array_append_new(json_object_get(file, "clients"), admin);
		import_passwd(dir, file);
		char line[BW_BROKER_PASSWORD_LEN + 2];
		snprintf(line, sizeof line, "%s\n", pw);
		if ((rc = bw_broker__write_atomic(secret, line, strlen(line), 0600, e)) == BW_OK)
			rc = save_file(path, file, e);
		explicit_bzero(line, sizeof line);
	} else {
		json_decref(admin);
	}
	json_decref(file);
	explicit_bzero(pw, sizeof pw);
	return rc;
}
