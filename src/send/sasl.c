/* The SASL client messages of postie's SMTP login (RFC 4954): PLAIN
 * (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195), XOAUTH2 (Google's and
 * Microsoft's documented format) and OAUTHBEARER (RFC 7628), built by
 * util/sasl.c as for POP3; which
 * mechanism to use of those the server offers; the AUTH command line;
 * and the status in an OAuth error challenge (outside input).
 *
 * Pure functions without I/O (auth.c runs the exchange).  Every response
 * is base64 and holds a secret: the caller secret_free()s it.
 */
#include <config.h>

#include <string.h>

#include <json-glib/json-glib.h>

#include "send/private.h"
#include "util/util.h"

static const char *const mech_names[] = {
    [SMTP_MECH_NONE] = "", [SMTP_MECH_PLAIN] = "PLAIN", [SMTP_MECH_LOGIN] = "LOGIN",
    [SMTP_MECH_CRAM_MD5] = "CRAM-MD5", [SMTP_MECH_XOAUTH2] = "XOAUTH2",
    [SMTP_MECH_OAUTHBEARER] = "OAUTHBEARER",
};

const char *
smtp_mech_name(SmtpMech m)
{
    return m <= SMTP_MECH_OAUTHBEARER ? mech_names[m] : "";
}

gboolean
smtp_mech_is_oauth(SmtpMech m)
{
    return m == SMTP_MECH_XOAUTH2 || m == SMTP_MECH_OAUTHBEARER;
}

SmtpMech
smtp_mech_pick(guint wanted, const char *offered)
{
    g_auto(GStrv) list = g_strsplit_set(offered ? offered : "", " \t", -1);
    for (int i = 0; list[i]; i++)
        for (SmtpMech m = SMTP_MECH_PLAIN; m <= SMTP_MECH_OAUTHBEARER; m++)
            if ((wanted & SMTP_MECH_BIT(m)) && !g_ascii_strcasecmp(list[i], mech_names[m]))
                return m;
    return SMTP_MECH_NONE;
}

/* A field must not end the command line, and the OAuth formats use
 * \001 as their separator. */
static gboolean
field_ok(const char *s, gboolean oauth)
{
    return s && *s && !strpbrk(s, oauth ? "\r\n\001" : "\r\n");
}

gboolean
sasl_creds_usable(SmtpMech m, const SaslCreds *c)
{
    gboolean oauth = smtp_mech_is_oauth(m);
    if (!field_ok(c->user, oauth) || !field_ok(c->secret, oauth))
        return FALSE;
    return m != SMTP_MECH_OAUTHBEARER || field_ok(c->host, TRUE);
}

char *
sasl_initial(SmtpMech m, const SaslCreds *c)
{
    if (!sasl_creds_usable(m, c))
        return NULL;
    switch (m) {
    case SMTP_MECH_PLAIN:
        return sasl_plain(c->user, c->secret);
    case SMTP_MECH_XOAUTH2:
        return sasl_xoauth2(c->user, c->secret);
    case SMTP_MECH_OAUTHBEARER:
        return sasl_oauthbearer(c->user, c->host, c->port, c->secret);
    case SMTP_MECH_LOGIN:
    case SMTP_MECH_CRAM_MD5:
    case SMTP_MECH_NONE:
    default:
        return NULL;   /* the server speaks first */
    }
}

/* Strict base64 (GLib's decoder skips what it does not know); NULL if
 * CHALLENGE is not. */
static guchar *
decode_strict(const char *challenge, gsize *len)
{
    gsize n = strlen(challenge);
    if (n % 4 != 0)
        return NULL;
    for (gsize i = 0; i < n; i++) {
        char ch = challenge[i];
        if (!(g_ascii_isalnum(ch) || ch == '+' || ch == '/' ||
              (ch == '=' && i >= n - 2 && (i == n - 1 || challenge[n - 1] == '='))))
            return NULL;
    }
    return g_base64_decode(challenge, len);
}

char *
sasl_answer(SmtpMech m, const SaslCreds *c, guint step, const char *challenge)
{
    if (!sasl_creds_usable(m, c))
        return NULL;
    switch (m) {
    case SMTP_MECH_LOGIN: {
        /* "Username:", then "Password:" (the order, not the text, counts:
         * servers word and translate them differently). */
        const char *v = step == 0 ? c->user : step == 1 ? c->secret : NULL;
        return v ? g_base64_encode((const guchar *)v, strlen(v)) : NULL;
    }
    case SMTP_MECH_CRAM_MD5: {
        gsize clen = 0;
        g_autofree guchar *ch = step == 0 ? decode_strict(challenge ? challenge : "", &clen)
                                          : NULL;
        if (!ch || clen == 0)
            return NULL;
        return sasl_cram_md5(c->user, c->secret, ch, clen);
    }
    case SMTP_MECH_XOAUTH2:
        /* A 334 after the token is the error (JSON): an empty line asks
         * for the final reply. */
        return g_strdup("");
    case SMTP_MECH_OAUTHBEARER:
        return g_strdup("AQ==");   /* %x01, RFC 7628 3.2.3 */
    case SMTP_MECH_PLAIN:
    case SMTP_MECH_NONE:
    default:
        return NULL;
    }
}

char *
sasl_auth_command(SmtpMech m, const char *initial, gboolean *on_line)
{
    const char *name = smtp_mech_name(m);
    /* RFC 4954 4: the AUTH command stays within SMTP's 512-octet command
     * line (RFC 5321 4.5.3.1.4); a longer initial response goes after an
     * empty 334 instead, where servers take 12288 octets and more
     * (Gmail answers 555 to a longer AUTH line). */
    gsize len = 5 + strlen(name) + (initial ? 1 + MAX(strlen(initial), 1) : 0) + 2;
    *on_line = initial && len <= SMTP_COMMAND_LINE_MAX;
    if (!*on_line)
        return g_strconcat("AUTH ", name, NULL);
    /* An empty initial response is sent as "=" (RFC 4954 4). */
    return g_strconcat("AUTH ", name, " ", *initial ? initial : "=", NULL);
}

char *
sasl_oauth_error(const char *challenge)
{
    gsize len = 0;
    g_autofree guchar *raw = decode_strict(challenge ? challenge : "", &len);
    if (!raw || len == 0 || len > 4096)
        return NULL;
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, (const char *)raw, (gssize)len, NULL))
        return NULL;
    JsonNode *root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return NULL;
    JsonNode *st = json_object_get_member(json_node_get_object(root), "status");
    if (!st || !JSON_NODE_HOLDS_VALUE(st))
        return NULL;
    g_autofree char *v = NULL;
    if (json_node_get_value_type(st) == G_TYPE_STRING)
        v = g_strdup(json_node_get_string(st));
    else if (json_node_get_value_type(st) == G_TYPE_INT64)
        v = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(st));
    if (!v || !*v)
        return NULL;
    if (strlen(v) > 200)
        v[200] = '\0';
    return term_safe(v, -1, TERM_SAFE_DEFAULT);
}
