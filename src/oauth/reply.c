/* The authorization server's replies (RFC 6749 5.1/5.2, RFC 8628 3.2,
 * 3.5), checked before anything in them is used or shown: they are
 * outside input. */
#include <config.h>

#include <string.h>

#include <json-glib/json-glib.h>

#include "oauth/oauth.h"
#include "util/util.h"

#define MAX_DEPTH 32
#define MAX_TOKEN 16384

/* json-glib parses nested values recursively: refuse deep nesting before
 * it sees them (strings skipped, so brackets inside them do not count). */
static gboolean
depth_ok(const char *s, gsize len)
{
    int depth = 0;
    gboolean in_str = FALSE;
    for (gsize i = 0; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = FALSE;
        } else if (ch == '"') {
            in_str = TRUE;
        } else if (ch == '{' || ch == '[') {
            if (++depth > MAX_DEPTH)
                return FALSE;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return TRUE;
}

static gboolean
bad_reply(long status, const char *why, GError **error)
{
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                _("the authorization server sent a reply postie cannot use "
                  "(HTTP %ld): %s"), status, why);
    return FALSE;
}

static JsonObject *
parse_object(long status, const char *body, gsize len, JsonParser **parser,
             GError **error)
{
    if (len > OAUTH_REPLY_MAX) {
        bad_reply(status, _("it is too large"), error);
        return NULL;
    }
    if (len == 0) {
        bad_reply(status, _("it is empty"), error);
        return NULL;
    }
    if (!g_utf8_validate(body, (gssize)len, NULL) || memchr(body, '\0', len)) {
        bad_reply(status, _("it is not UTF-8 text"), error);
        return NULL;
    }
    if (!depth_ok(body, len)) {
        bad_reply(status, _("it is nested too deeply"), error);
        return NULL;
    }
    *parser = json_parser_new_immutable();
    if (!json_parser_load_from_data(*parser, body, (gssize)len, NULL)) {
        bad_reply(status, _("it is not JSON"), error);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(*parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        bad_reply(status, _("it is not a JSON object"), error);
        return NULL;
    }
    return json_node_get_object(root);
}

/* A string member, or NULL; *BAD when present with another type. */
static const char *
get_str(JsonObject *o, const char *name, gboolean *bad)
{
    JsonNode *n = json_object_get_member(o, name);
    if (!n || JSON_NODE_HOLDS_NULL(n))
        return NULL;
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
        *bad = TRUE;
        return NULL;
    }
    return json_node_get_string(n);
}

/* An integer member (some servers send it as a string), DEF when absent;
 * *BAD when malformed or outside MIN..MAX. */
static gint64
get_int(JsonObject *o, const char *name, gint64 def, gint64 min, gint64 max,
        gboolean *bad)
{
    JsonNode *n = json_object_get_member(o, name);
    if (!n || JSON_NODE_HOLDS_NULL(n))
        return def;
    gint64 v;
    if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64) {
        v = json_node_get_int(n);
    } else if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING) {
        const char *s = json_node_get_string(n);
        char *end = NULL;
        v = g_ascii_strtoll(s, &end, 10);
        if (!*s || *end) {
            *bad = TRUE;
            return def;
        }
    } else {
        *bad = TRUE;
        return def;
    }
    if (v < min || v > max) {
        *bad = TRUE;
        return def;
    }
    return v;
}

/* Tokens and codes: printable ASCII without spaces, bounded. */
static gboolean
token_ok(const char *s, gsize max)
{
    gsize n = 0;
    for (; s[n]; n++)
        if (s[n] <= ' ' || s[n] > '~' || n >= max)
            return FALSE;
    return n > 0;
}

static char *
safe_text(const char *s)
{
    return s ? term_safe(s, (gssize)MIN(strlen(s), 500), TERM_SAFE_DEFAULT) : NULL;
}

void
oauth_token_reply_clear(OAuthTokenReply *r)
{
    g_free(r->error);
    g_free(r->error_description);
    if (r->access_token)
        memset(r->access_token, 0, strlen(r->access_token));
    g_free(r->access_token);
    if (r->refresh_token)
        memset(r->refresh_token, 0, strlen(r->refresh_token));
    g_free(r->refresh_token);
    memset(r, 0, sizeof *r);
}

/* An "error" reply (RFC 6749 5.2): fill R, TRUE if it was one. */
static gboolean
error_reply(JsonObject *o, OAuthTokenReply *r, gboolean *bad)
{
    const char *err = get_str(o, "error", bad);
    if (!err)
        return FALSE;
    r->kind = !strcmp(err, "authorization_pending") ? OAUTH_REPLY_PENDING
            : !strcmp(err, "slow_down") ? OAUTH_REPLY_SLOW_DOWN
            : OAUTH_REPLY_ERROR;
    r->error = safe_text(err);
    r->error_description = safe_text(get_str(o, "error_description", bad));
    return TRUE;
}

gboolean
oauth_parse_token_reply(long status, const char *body, gsize len,
                        OAuthTokenReply *r, GError **error)
{
    memset(r, 0, sizeof *r);
    g_autoptr(JsonParser) parser = NULL;
    JsonObject *o = parse_object(status, body, len, &parser, error);
    if (!o)
        return FALSE;
    gboolean bad = FALSE;
    if (error_reply(o, r, &bad)) {
        if (bad) {
            oauth_token_reply_clear(r);
            return bad_reply(status, _("a field has the wrong type"), error);
        }
        return TRUE;
    }
    if (status != 200) {
        oauth_token_reply_clear(r);
        return bad_reply(status, _("an HTTP error without an OAuth error code"),
                         error);
    }
    const char *access = get_str(o, "access_token", &bad);
    const char *refresh = get_str(o, "refresh_token", &bad);
    const char *type = get_str(o, "token_type", &bad);
    r->expires_in = get_int(o, "expires_in", 3600, 1, G_GINT64_CONSTANT(315360000), &bad);
    if (bad)
        return bad_reply(status, _("a field has the wrong type or value"), error);
    if (!access)
        return bad_reply(status, _("it holds no access_token"), error);
    if (type && g_ascii_strcasecmp(type, "Bearer") != 0)
        return bad_reply(status, _("the token is not a Bearer token"), error);
    if (!token_ok(access, MAX_TOKEN) || (refresh && !token_ok(refresh, MAX_TOKEN)))
        return bad_reply(status, _("a token holds characters a token cannot have"),
                         error);
    r->kind = OAUTH_REPLY_OK;
    r->access_token = g_strdup(access);
    r->refresh_token = g_strdup(refresh);
    return TRUE;
}

void
oauth_device_reply_clear(OAuthDeviceReply *r)
{
    g_free(r->device_code);
    g_free(r->user_code);
    g_free(r->verification_uri);
    g_free(r->verification_uri_complete);
    memset(r, 0, sizeof *r);
}

static gboolean
web_url_ok(const char *url)
{
    if (!url || strlen(url) > 2048 || !token_ok(url, 2048))
        return FALSE;
    return conf_url_allowed(url);
}

gboolean
oauth_parse_device_reply(long status, const char *body, gsize len,
                         OAuthDeviceReply *r, GError **error)
{
    memset(r, 0, sizeof *r);
    g_autoptr(JsonParser) parser = NULL;
    JsonObject *o = parse_object(status, body, len, &parser, error);
    if (!o)
        return FALSE;
    gboolean bad = FALSE;
    const char *err = get_str(o, "error", &bad);
    if (err || status != 200) {
        g_autofree char *e = safe_text(err);
        g_autofree char *d = safe_text(get_str(o, "error_description", &bad));
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("the authorization server refused to start the login "
                      "(HTTP %ld, %s%s%s)"), status, e ? e : _("no error code"),
                    d ? ": " : "", d ? d : "");
        return FALSE;
    }
    const char *device = get_str(o, "device_code", &bad);
    const char *user = get_str(o, "user_code", &bad);
    /* Google says verification_url, RFC 8628 verification_uri. */
    const char *uri = get_str(o, "verification_uri", &bad);
    if (!uri)
        uri = get_str(o, "verification_url", &bad);
    const char *complete = get_str(o, "verification_uri_complete", &bad);
    r->expires_in = get_int(o, "expires_in", 900, 1, 86400, &bad);
    r->interval = get_int(o, "interval", 5, 0, 3600, &bad);
    if (bad || !device || !user || !uri)
        return bad_reply(status, _("device_code, user_code or verification_uri "
                                   "is missing or malformed"), error);
    if (!token_ok(device, MAX_TOKEN) || !token_ok(user, 64) || !web_url_ok(uri) ||
        (complete && !web_url_ok(complete)))
        return bad_reply(status, _("the code or the address holds characters it "
                                   "cannot have"), error);
    r->device_code = g_strdup(device);
    r->user_code = g_strdup(user);
    r->verification_uri = g_strdup(uri);
    r->verification_uri_complete = g_strdup(complete);
    return TRUE;
}
