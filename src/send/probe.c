/* The SMTP check of the first-run setup: connect, EHLO, log in, QUIT.
 *
 * postie speaks this short dialogue itself: libesmtp 1.1 runs no session
 * without a message, so a check through it had to start one and cut the
 * connection at MAIL FROM.  The connection, TLS and STARTTLS are
 * relay-connect.c's (the same policy and checks as a send); the login
 * follows the rules of a send (session.c): the same smtp_auth choice, the
 * same mechanism (the first usable one in the server's order), a secret
 * only over verified TLS or with allow_plaintext_password, and the OAuth
 * responses of src/esmtp-plugins/oauth-sasl.c.
 */
#include <config.h>

#include <string.h>

#include "esmtp-plugins/oauth-sasl.h"
#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

typedef enum {
    MECH_NONE,
    MECH_PLAIN,
    MECH_LOGIN,
    MECH_CRAM_MD5,
    MECH_XOAUTH2,
    MECH_OAUTHBEARER,
} Mech;

static const char *const mech_names[] = {
    [MECH_NONE] = "", [MECH_PLAIN] = "PLAIN", [MECH_LOGIN] = "LOGIN",
    [MECH_CRAM_MD5] = "CRAM-MD5", [MECH_XOAUTH2] = "XOAUTH2",
    [MECH_OAUTHBEARER] = "OAUTHBEARER",
};

typedef struct {
    const Account *account;
    const ServerConf *srv;
    NetConn *conn;
    guint wanted;        /* bit per Mech smtp_auth allows; 0: no login */
    char *secret;        /* password, or the OAuth access token */
    gboolean oauth;
    char *user;
    char *mechs;         /* the AUTH list of the last EHLO reply */
    char *text;          /* last line of the last reply, terminal-safe */
    char *challenge;     /* the raw text of the last 334 */
} Probe;

/* Read one (multi-line) reply: its code, or 0 with ERROR. */
static int
probe_reply(Probe *p, GError **error)
{
    g_clear_pointer(&p->text, g_free);
    g_clear_pointer(&p->challenge, g_free);
    for (int lines = 0; lines < 1000; lines++) {
        gsize n = 0;
        const char *l = net_conn_read_line(p->conn, 4096, &n, error);
        if (!l)
            return 0;
        if (n < 3 || !g_ascii_isdigit(l[0]) || !g_ascii_isdigit(l[1]) ||
            !g_ascii_isdigit(l[2]) || (n > 3 && l[3] != ' ' && l[3] != '-')) {
            g_autofree char *safe = term_safe(l, (gssize)n, TERM_SAFE_DEFAULT);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                        _("%s sent a malformed SMTP reply: %s"), p->srv->host, safe);
            return 0;
        }
        if (n > 8 && !strncmp(l, "250", 3) && !g_ascii_strncasecmp(l + 4, "AUTH", 4) &&
            (l[8] == ' ' || l[8] == '=')) {
            g_free(p->mechs);
            p->mechs = g_strndup(l + 9, n - 9);
        }
        if (n == 3 || l[3] == ' ') {
            p->text = term_safe(l, (gssize)n, TERM_SAFE_DEFAULT);
            p->challenge = g_strndup(n > 4 ? l + 4 : "", n > 4 ? n - 4 : 0);
            return (int)g_ascii_strtoll(l, NULL, 10);
        }
    }
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                _("%s sent an endless SMTP reply"), p->srv->host);
    return 0;
}

/* Send LINE and CRLF in one write (LINE may hold a secret: the copy is
 * wiped). */
static int
probe_command(Probe *p, const char *line, GError **error)
{
    char *l = g_strconcat(line, "\r\n", NULL);
    gboolean ok = net_conn_write(p->conn, l, strlen(l), error);
    secret_free(l);
    return ok ? probe_reply(p, error) : 0;
}

/* Base64 of LEN bytes of DATA, for a secret (caller secret_free()s). */
static char *
b64(const char *data, gsize len)
{
    return g_base64_encode((const guchar *)data, len);
}

/* Which mechanisms smtp_auth allows, as session_setup_auth() decides for
 * a send, and the secret to log in with.  FALSE with ERROR when a send
 * would refuse too. */
static gboolean
probe_setup_auth(Probe *p, GError **error)
{
    const ServerConf *srv = p->srv;
    const char *auth = srv->auth;
    if (!g_strcmp0(auth, "none"))
        return TRUE;
    SendOAuthMode oauth = send_oauth_mode(p->account);
    gboolean has_secret = srv->password || srv->password_command;
    if ((!auth || !g_strcmp0(auth, "auto")) && !has_secret && oauth == SEND_OAUTH_NONE)
        return TRUE;   /* a send would submit without AUTH */
    if (srv->security == SECURITY_NONE && !p->account->allow_plaintext_password) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_INSECURE,
                    _("account %s: smtp_security is none, so the password would "
                      "go unencrypted to %s; use starttls or tls, or set "
                      "allow_plaintext_password = true"), p->account->id, srv->host);
        return FALSE;
    }
    gboolean cram = !g_strcmp0(auth, "cram-md5");
    if (cram && !session_cram_md5_usable()) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("account %s: smtp_auth = cram-md5, but libesmtp cannot load "
                      "its CRAM-MD5 plugin on this system (it looks for "
                      "sasl-cram-md5.so, the package installs sasl-crammd5.so); "
                      "use plain or login over TLS instead"), p->account->id);
        return FALSE;
    }
    switch (oauth) {
    case SEND_OAUTH_XOAUTH2:
        p->wanted = 1u << MECH_XOAUTH2;
        break;
    case SEND_OAUTH_OAUTHBEARER:
        p->wanted = 1u << MECH_OAUTHBEARER;
        break;
    case SEND_OAUTH_ANY:
        p->wanted = 1u << MECH_XOAUTH2 | 1u << MECH_OAUTHBEARER;
        break;
    case SEND_OAUTH_NONE:
    default:
        if (!g_strcmp0(auth, "plain"))
            p->wanted = 1u << MECH_PLAIN;
        else if (!g_strcmp0(auth, "login"))
            p->wanted = 1u << MECH_LOGIN;
        else if (cram)
            p->wanted = 1u << MECH_CRAM_MD5;
        else   /* auto: what libesmtp can do with a password */
            p->wanted = 1u << MECH_PLAIN | 1u << MECH_LOGIN |
                        (session_cram_md5_usable() ? 1u << MECH_CRAM_MD5 : 0);
        break;
    }
    p->user = g_strdup(srv->user && *srv->user ? srv->user
                       : p->account->address ? p->account->address : "");
    if (oauth != SEND_OAUTH_NONE) {
        /* A send needs the plugins: the check says so now. */
        if (!send_oauth_plugins_check(p->account, oauth, error))
            return FALSE;
        p->oauth = TRUE;
        p->secret = conf_oauth_token(p->account, error);
    } else {
        p->secret = conf_server_secret(p->account, srv, error);
    }
    return p->secret != NULL;
}

/* The first mechanism in the server's order that smtp_auth allows. */
static Mech
probe_pick(const Probe *p)
{
    g_auto(GStrv) offered = g_strsplit_set(p->mechs ? p->mechs : "", " =", -1);
    for (int i = 0; offered[i]; i++)
        for (Mech m = MECH_PLAIN; m <= MECH_OAUTHBEARER; m++)
            if ((p->wanted & 1u << m) && !g_ascii_strcasecmp(offered[i], mech_names[m]))
                return m;
    return MECH_NONE;
}

/* The OAuth client response (a secret), or NULL with ERROR. */
static char *
oauth_response(Probe *p, Mech m, int *len, GError **error)
{
    char *buf = g_malloc(POSTIE_SASL_MAX_RESPONSE + 1);
    char port[8];
    g_snprintf(port, sizeof port, "%u", p->srv->port);
    int n = m == MECH_XOAUTH2
                ? oauth_sasl_xoauth2(buf, POSTIE_SASL_MAX_RESPONSE + 1, p->user, p->secret)
                : oauth_sasl_oauthbearer(buf, POSTIE_SASL_MAX_RESPONSE + 1, p->user,
                                         p->srv->host, port, p->secret);
    if (n < 0) {
        secret_free(buf);
        /* The limit of a send (libesmtp's buffer): said here already. */
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("the OAuth access token (%zu bytes) is too long for "
                      "libesmtp 1.1, which sends at most %d bytes in a login "
                      "response, or the token or user name holds a control "
                      "character; nothing was sent"),
                    strlen(p->secret), POSTIE_SASL_MAX_RESPONSE);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The answer to the 334 challenge number STEP (from 0) of mechanism M:
 * a secret (caller secret_free()s), or NULL to cancel with "*". */
static char *
probe_answer(Probe *p, Mech m, int step, const char *initial)
{
    gsize clen = 0;
    switch (m) {
    case MECH_LOGIN:
        return step == 0 ? b64(p->user, strlen(p->user))
             : step == 1 ? b64(p->secret, strlen(p->secret)) : NULL;
    case MECH_CRAM_MD5: {
        if (step != 0)
            return NULL;
        guchar *c = g_base64_decode(p->challenge, &clen);
        char *digest = g_compute_hmac_for_data(G_CHECKSUM_MD5, (const guchar *)p->secret,
                                               strlen(p->secret), c, clen);
        g_free(c);
        char *plain = g_strdup_printf("%s %s", p->user, digest);
        secret_free(digest);
        char *r = b64(plain, strlen(plain));
        secret_free(plain);
        return r;
    }
    case MECH_XOAUTH2:
    case MECH_OAUTHBEARER:
        /* Held back for the server's empty 334 (too long for the AUTH
         * line); after that a 334 is the JSON error, answered as the
         * plugins do: empty (XOAUTH2), ^A (OAUTHBEARER, RFC 7628 3.2.3). */
        if (step == 0 && initial)
            return g_strdup(initial);
        return g_strdup(m == MECH_XOAUTH2 ? "" : "AQ==");
    case MECH_PLAIN:
    case MECH_NONE:
    default:
        return NULL;
    }
}

/* AUTH with mechanism M: TRUE once the server said 235. */
static gboolean
probe_login(Probe *p, Mech m, GError **error)
{
    secret_auto char *initial = NULL;   /* base64, held for an empty 334 */
    secret_auto char *line = NULL;
    gboolean on_line = TRUE;
    if (m == MECH_PLAIN) {
        gsize ul = strlen(p->user), sl = strlen(p->secret);
        char *raw = g_malloc(ul + sl + 3);
        raw[0] = '\0';
        memcpy(raw + 1, p->user, ul + 1);
        memcpy(raw + ul + 2, p->secret, sl + 1);
        initial = b64(raw, ul + sl + 2);
        explicit_bzero(raw, ul + sl + 3);
        g_free(raw);
    } else if (m == MECH_XOAUTH2 || m == MECH_OAUTHBEARER) {
        int n = 0;
        char *raw = oauth_response(p, m, &n, error);
        if (!raw)
            return FALSE;
        initial = b64(raw, (gsize)n);
        on_line = oauth_sasl_fits_auth_line(mech_names[m], n);
        secret_free(raw);
    }
    if (initial && on_line)
        line = g_strdup_printf("AUTH %s %s", mech_names[m], initial);
    else
        line = g_strdup_printf("AUTH %s", mech_names[m]);
    int code = probe_command(p, line, error);
    for (int step = 0; code == 334 && step < 8; step++) {
        char *answer = probe_answer(p, m, step, on_line ? NULL : initial);
        code = probe_command(p, answer ? answer : "*", error);
        secret_free(answer);
    }
    if (!code)
        return FALSE;
    if (code == 235)
        return TRUE;
    if (p->oauth) {
        g_autofree char *hint = conf_oauth_relogin_hint(p->account);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("the login with the OAuth token failed (%s) — the server "
                      "said: %s"), hint, p->text);
    } else {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("the login failed — the server said: %s"), p->text);
    }
    return FALSE;
}

/* After the greeting (and STARTTLS): EHLO, AUTH when wanted. */
static gboolean
probe_session(Probe *p, GError **error)
{
    g_autofree char *ehlo = g_strdup_printf("EHLO %s", g_get_host_name());
    int code = probe_command(p, ehlo, error);
    if (!code)
        return FALSE;
    if (code != 250) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s refused EHLO (server said: %s)"), p->srv->host, p->text);
        return FALSE;
    }
    if (!p->wanted)
        return TRUE;
    Mech m = probe_pick(p);
    if (m == MECH_NONE) {
        g_autofree char *offers = term_safe(p->mechs ? p->mechs : "", -1,
                                            TERM_SAFE_DEFAULT);
        if (p->mechs)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                        _("%s offers no login method that smtp_auth of account "
                          "%s allows (it offers: %s)"),
                        p->srv->host, p->account->id, offers);
        else
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                        _("%s does not offer AUTH, so postie cannot log in as "
                          "account %s asks"), p->srv->host, p->account->id);
        return FALSE;
    }
    return probe_login(p, m, error);
}

gboolean
send_test_account(PostieConfig *cfg, const Account *account, char **refused_fp,
                  GError **error)
{
    (void)cfg;   /* delivery needs it for folders; a test needs none */
    Probe p = { .account = account, .srv = &account->smtp };
    gboolean ok = FALSE;
    if (!p.srv->host || strchr(p.srv->host, ':')) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: smtp_host must be a host name or IPv4 address"),
                    account->id);
        return FALSE;
    }
    if (!probe_setup_auth(&p, error))
        goto out;
    p.conn = relay_connect(account, g_get_host_name(), NULL, refused_fp, error);
    if (!p.conn)
        goto out;
    ok = probe_session(&p, error);
    /* QUIT either way; after a success its 221 is part of the check. */
    GError *quit_error = NULL;
    int code = probe_command(&p, "QUIT", &quit_error);
    if (ok && code != 221) {
        if (quit_error)
            g_propagate_error(error, quit_error);
        else
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                        _("%s did not end the session (server said: %s)"),
                        p.srv->host, p.text);
        ok = FALSE;
    } else {
        g_clear_error(&quit_error);
    }
out:
    net_conn_free(p.conn);
    secret_free(p.secret);
    g_free(p.user);
    g_free(p.mechs);
    g_free(p.text);
    g_free(p.challenge);
    return ok;
}
