/* Logging in: USER/PASS, APOP, SASL (RFC 5034) PLAIN, LOGIN, CRAM-MD5,
 * XOAUTH2, OAUTHBEARER, and the choice made by "auto". */
#include <config.h>

#include <string.h>

#include "pop3/private.h"
#include "util/util.h"

static const struct {
    Pop3AuthMech mech;
    const char *name;       /* config value */
    const char *sasl;       /* SASL name, NULL if not SASL */
} mech_table[] = {
    { POP3_AUTH_AUTO, "auto", NULL },
    { POP3_AUTH_USER, "user", NULL },
    { POP3_AUTH_APOP, "apop", NULL },
    { POP3_AUTH_PLAIN, "plain", "PLAIN" },
    { POP3_AUTH_LOGIN, "login", "LOGIN" },
    { POP3_AUTH_CRAM_MD5, "cram-md5", "CRAM-MD5" },
    { POP3_AUTH_XOAUTH2, "xoauth2", "XOAUTH2" },
    { POP3_AUTH_OAUTHBEARER, "oauthbearer", "OAUTHBEARER" },
};

gboolean
pop3_auth_mech_from_string(const char *name, Pop3AuthMech *out)
{
    if (!name || !*name) {
        *out = POP3_AUTH_AUTO;
        return TRUE;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(mech_table); i++)
        if (g_ascii_strcasecmp(name, mech_table[i].name) == 0) {
            *out = mech_table[i].mech;
            return TRUE;
        }
    return FALSE;
}

const char *
pop3_auth_mech_name(Pop3AuthMech mech)
{
    for (gsize i = 0; i < G_N_ELEMENTS(mech_table); i++)
        if (mech_table[i].mech == mech)
            return mech_table[i].name;
    return "?";
}

gboolean
pop3_auth_mech_is_oauth(Pop3AuthMech mech)
{
    return mech == POP3_AUTH_XOAUTH2 || mech == POP3_AUTH_OAUTHBEARER;
}

static const char *
sasl_name(Pop3AuthMech mech)
{
    for (gsize i = 0; i < G_N_ELEMENTS(mech_table); i++)
        if (mech_table[i].mech == mech)
            return mech_table[i].sasl;
    return NULL;
}

static gboolean
offered(Pop3Session *s, Pop3AuthMech mech)
{
    switch (mech) {
    case POP3_AUTH_AUTO:
        return FALSE;
    case POP3_AUTH_USER:
        /* RFC 1939 servers without CAPA still have USER */
        return (s->caps & POP3_CAP_USER) != 0;
    case POP3_AUTH_APOP:
        return s->apop_timestamp != NULL;
    default:
        break;
    }
    const char *name = sasl_name(mech);
    for (char **m = s->mechs; name && m && *m; m++)
        if (g_str_equal(*m, name))
            return TRUE;
    return FALSE;
}

static char *
offered_list(Pop3Session *s)
{
    GString *l = g_string_new(NULL);
    for (gsize i = 1; i < G_N_ELEMENTS(mech_table); i++)
        if (offered(s, mech_table[i].mech))
            g_string_append_printf(l, "%s%s", l->len ? ", " : "",
                                   mech_table[i].name);
    if (l->len == 0)
        g_string_append(l, _("none"));
    return g_string_free(l, FALSE);
}

gboolean
pop3_auth_choose(Pop3Session *s, Pop3AuthMech requested, Pop3AuthMech *chosen,
                 GError **error)
{
    if (requested != POP3_AUTH_AUTO) {
        if (offered(s, requested)) {
            *chosen = requested;
            return TRUE;
        }
        g_autofree char *l = offered_list(s);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("%s: the server does not offer the login method %s "
                      "(it offers: %s)"), s->host, pop3_auth_mech_name(requested), l);
        return FALSE;
    }
    /* Over TLS the password is protected, and PLAIN lets the server store
     * it hashed; without TLS prefer what never shows the password. */
    static const Pop3AuthMech with_tls[] = {
        POP3_AUTH_PLAIN, POP3_AUTH_LOGIN, POP3_AUTH_USER, POP3_AUTH_CRAM_MD5,
        POP3_AUTH_APOP,
    };
    static const Pop3AuthMech without_tls[] = {
        POP3_AUTH_CRAM_MD5, POP3_AUTH_APOP, POP3_AUTH_PLAIN, POP3_AUTH_LOGIN,
        POP3_AUTH_USER,
    };
    gboolean tls = pop3_is_tls(s);
    for (gsize i = 0; i < G_N_ELEMENTS(with_tls); i++) {
        Pop3AuthMech m = tls ? with_tls[i] : without_tls[i];
        if (offered(s, m)) {
            *chosen = m;
            return TRUE;
        }
    }
    g_autofree char *l = offered_list(s);
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                _("%s: the server offers no password login method postie "
                  "knows (it offers: %s)"), s->host, l);
    return FALSE;
}

/* The final reply of a login. */
static gboolean
login_result(Pop3Session *s, const Pop3Reply *r, GError **error)
{
    if (r->kind == POP3_REPLY_OK) {
        s->authenticated = TRUE;
        return TRUE;
    }
    pop3_reply_error(s, r, TRUE, _("the login"), error);
    return FALSE;
}

static gboolean
send_secret(Pop3Session *s, const char *prefix, const char *secret,
            GError **error)
{
    secret_auto char *line = g_strconcat(prefix, secret, NULL);
    return pop3_send(s, line, error);
}

static gboolean
auth_user(Pop3Session *s, const char *user, const char *secret, GError **error)
{
    Pop3Reply r;
    g_autofree char *cmd = g_strconcat("USER ", user, NULL);
    if (!pop3_send(s, cmd, error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    if (r.kind != POP3_REPLY_OK)
        return login_result(s, &r, error);
    if (!send_secret(s, "PASS ", secret, error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    return login_result(s, &r, error);
}

static gboolean
auth_apop(Pop3Session *s, const char *user, const char *secret, GError **error)
{
    secret_auto char *digest = pop3_apop_digest(s->apop_timestamp, secret);
    secret_auto char *cmd = g_strdup_printf("APOP %s %s", user, digest);
    Pop3Reply r;
    if (!pop3_send(s, cmd, error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    return login_result(s, &r, error);
}

/* Read "+ base64" into *CHALLENGE (decoded), or a final reply. */
static gboolean
read_challenge(Pop3Session *s, Pop3Reply *r, guchar **challenge, gsize *len,
               GError **error)
{
    if (!pop3_read_reply(s, r, error))
        return FALSE;
    if (r->kind != POP3_REPLY_CONTINUE)
        return TRUE;
    /* g_base64_decode is lenient; check the alphabet ourselves. */
    for (const char *p = r->text; *p; p++)
        if (!(g_ascii_isalnum(*p) || *p == '+' || *p == '/' || *p == '=')) {
            pop3_garbage_error(s, "AUTH", error);
            return FALSE;
        }
    *challenge = g_base64_decode(r->text, len);
    return TRUE;
}

/* SASL: AUTH NAME [initial], answering challenges with STEPS. */
static gboolean
auth_sasl(Pop3Session *s, Pop3AuthMech mech, const char *user,
          const char *secret, GError **error)
{
    const char *name = sasl_name(mech);
    secret_auto char *initial = NULL;
    switch (mech) {
    case POP3_AUTH_PLAIN:
        initial = sasl_plain(user, secret);
        break;
    case POP3_AUTH_XOAUTH2:
        initial = sasl_xoauth2(user, secret);
        break;
    case POP3_AUTH_OAUTHBEARER:
        initial = sasl_oauthbearer(user, s->host, s->port, secret);
        break;
    default:
        break;
    }
    Pop3Reply r;
    g_autofree char *cmd = g_strconcat("AUTH ", name, NULL);
    /* RFC 5034: the initial response fits when the line is <= 255 octets. */
    if (initial && strlen(cmd) + 1 + strlen(initial) + 2 <= 255) {
        g_autofree char *c = g_strconcat(cmd, " ", NULL);
        if (!send_secret(s, c, initial, error))
            return FALSE;
        g_clear_pointer(&initial, secret_free);
    } else if (!pop3_send(s, cmd, error)) {
        return FALSE;
    }

    guint steps = 0;
    for (;;) {
        g_autofree guchar *ch = NULL;
        gsize chlen = 0;
        if (!read_challenge(s, &r, &ch, &chlen, error))
            return FALSE;
        if (r.kind != POP3_REPLY_CONTINUE)
            return login_result(s, &r, error);
        if (++steps > 4) {
            /* A server that keeps asking: cancel (RFC 5034 "*"). */
            if (!pop3_send(s, "*", error) || !pop3_read_reply(s, &r, error))
                return FALSE;
            return login_result(s, &r, error);
        }
        secret_auto char *answer = NULL;
        if (initial) {
            answer = g_steal_pointer(&initial);
        } else if (mech == POP3_AUTH_LOGIN) {
            /* The challenges say "Username:" then "Password:". */
            const char *v = steps == 1 ? user : secret;
            answer = g_base64_encode((const guchar *) v, strlen(v));
        } else if (mech == POP3_AUTH_CRAM_MD5 && steps == 1) {
            answer = sasl_cram_md5(user, secret, ch, chlen);
        } else if (mech == POP3_AUTH_XOAUTH2) {
            answer = g_strdup("");          /* the error JSON: acknowledge */
        } else if (mech == POP3_AUTH_OAUTHBEARER) {
            answer = g_strdup("AQ==");      /* RFC 7628: %x01 */
        } else {
            answer = g_strdup("*");
        }
        if (!send_secret(s, "", answer, error))
            return FALSE;
    }
}

gboolean
pop3_may_send_secret(Pop3Session *s, gboolean allow_plaintext, GError **error)
{
    if (pop3_is_tls(s) || allow_plaintext)
        return TRUE;
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_INSECURE,
                _("%s: refusing to log in over a connection without TLS; "
                  "use security = tls or starttls, or set "
                  "allow_plaintext_password = true to accept the risk"),
                s->host);
    return FALSE;
}

gboolean
pop3_auth(Pop3Session *s, Pop3AuthMech requested, const char *user,
          const char *secret, gboolean allow_plaintext, GError **error)
{
    if (!pop3_check_usable(s, error) || !pop3_may_send_secret(s, allow_plaintext, error))
        return FALSE;
    /* A user name or secret with line breaks would inject commands. */
    if (!user || !secret || strpbrk(user, "\r\n") || strpbrk(secret, "\r\n")) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("%s: the user name or secret is empty or holds a line break"),
                    s->host);
        return FALSE;
    }
    Pop3AuthMech mech;
    if (!pop3_auth_choose(s, requested, &mech, error))
        return FALSE;
    switch (mech) {
    case POP3_AUTH_USER:
        return auth_user(s, user, secret, error);
    case POP3_AUTH_APOP:
        return auth_apop(s, user, secret, error);
    default:
        return auth_sasl(s, mech, user, secret, error);
    }
}
