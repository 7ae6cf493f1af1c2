/* One SMTP session through libesmtp for all of an account's messages.
 *
 * libesmtp 1.1.0 needs watching (see doc/postie-send.1, BUGS):
 *  - it never makes the connection or does TLS itself: it talks plain
 *    SMTP to relay.c, which owns the real connection (TLS with the net/
 *    policy, STARTTLS done by postie, every wait bounded by the timeout);
 *    so its TLS bugs (use-after-free of its SSL_CTX, stall after TLS 1.3,
 *    no SNI, IP SANs ignored, plaintext after the 220 to STARTTLS read as
 *    replies inside TLS, NULL event arguments) cannot bite;
 *  - it takes the 250 to an intermediate BDAT chunk as the final answer:
 *    whether a message was accepted is what the relay saw answer the end
 *    of DATA or the last chunk, never libesmtp's transfer status;
 *  - it picks the first AUTH mechanism in the server's order: the relay
 *    shows it only the one smtp_auth names (XOAUTH2 and OAUTHBEARER for
 *    auto with oauth_token_command);
 *  - after a refused login it silently goes on unauthenticated: we watch
 *    the replies (monitor callback) and cut the connection at the first
 *    failed AUTH, so nothing is sent without the login the user asked for;
 *  - the password is handed out only over verified TLS (or when the
 *    account allows plain text);
 *  - it has no XOAUTH2 / OAUTHBEARER: postie's own plugins do them, and
 *    oauth_auth.c hands them the token (through interact() below);
 *  - smtp_start_session() returns 1 when TLS or MAIL failed: success is
 *    judged from the status of MAIL, of every RCPT and of the transfer.
 */
#include <config.h>

#include <stddef.h>
#include <errno.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/rand.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

typedef struct {
    const Account *account;
    const ServerConf *srv;
    guint16 port;                 /* the relay's loopback port */
    gboolean tls_verified;        /* the relay's connection is verified TLS */
    Relay *relay;
    GMutex failure_lock;          /* failure is also set when cancelled */
    GError *failure;              /* first session-level failure */
    char *secret;
    SendOAuth *oauth;             /* login with a token (oauth_auth.c) */
    gboolean want_auth;
    const char *auth_only;        /* the mechanisms (blank-separated) the
                                   * relay lets libesmtp see, or NULL: all */
    gboolean in_ehlo, ehlo_auth, ehlo_8bit, mail_started;
    gboolean in_auth, auth_ok;
    gboolean auth_aborted;        /* we cancelled this AUTH ("*") */
    char *ehlo_mechs;             /* the AUTH list of the last EHLO */
    GString *line;                /* reply bytes not yet a full line */
    char *last_reply;
    GPtrArray *messages;          /* SessionMessage* */
    guint done;
    SessionProgress progress;
    SessionAccepted accepted;
    gpointer progress_data;
} Ctx;

typedef struct {
    smtp_message_t m;
} MsgPriv;

void
session_message_free(SessionMessage *m)
{
    if (!m)
        return;
    g_free(m->reverse_path);
    if (m->rcpts)
        g_ptr_array_unref(m->rcpts);
    if (m->wire8)
        g_string_free(m->wire8, TRUE);
    if (m->wire7)
        g_string_free(m->wire7, TRUE);
    g_free(m->mail_text);
    g_free(m->data_text);
    g_free(m->journal_key);
    if (m->rcpt_results)
        g_ptr_array_unref(m->rcpt_results);
    g_free(m->priv);
    g_free(m);
}

static void
fail(Ctx *c, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
fail(Ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_mutex_lock(&c->failure_lock);
    if (!c->failure)
        c->failure = g_error_new_literal(POSTIE_ERROR, code, msg);
    g_mutex_unlock(&c->failure_lock);
}

/* Stop the session now: libesmtp sees the connection drop and nothing
 * more goes to the server (it has no cancel call). */
static void
cut(Ctx *c)
{
    relay_abort(c->relay);
}

/* ---- events ------------------------------------------------------------ */

/* libesmtp never does TLS here (STARTTLS is disabled: the relay did it),
 * so the certificate events should not come; if they do, they are
 * refused.  libesmtp 1.1.0 passes NULL instead of the int* for some of
 * them (an unusable ~/.config/libesmtp/private/HOST.pem): never written
 * through without a check. */
static void
refuse(int *ok)
{
    if (ok)
        *ok = 0;
}

static void
event_cb(smtp_session_t session, int event, void *arg, ...)
{
    Ctx *c = arg;
    va_list ap;
    (void)session;
    va_start(ap, arg);
    switch (event) {
    case SMTP_EV_INVALID_PEER_CERTIFICATE:
    case SMTP_EV_WEAK_CIPHER:
        /* The verify result (long) / the cipher bits (int) come first. */
        if (event == SMTP_EV_INVALID_PEER_CERTIFICATE)
            (void)va_arg(ap, long);
        else
            (void)va_arg(ap, int);
        /* fall through */
    case SMTP_EV_WRONG_PEER_CERTIFICATE:
    case SMTP_EV_NO_PEER_CERTIFICATE:
    case SMTP_EV_NO_CLIENT_CERTIFICATE:
    case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
    case SMTP_EV_UNUSABLE_CA_LIST:
        refuse(va_arg(ap, int *));
        fail(c, POSTIE_ERROR_TLS, _("the SMTP library tried to start TLS with "
                                    "%s itself; refused, nothing was sent"),
             c->srv->host);
        cut(c);
        break;
    case SMTP_EV_EXTNA_DSN:
    case SMTP_EV_EXTNA_CHUNKING:
    case SMTP_EV_SYNTAXWARNING: {
        int *quit = va_arg(ap, int *);
        if (quit)
            *quit = 0;
        break;
    }
    case SMTP_EV_MESSAGESENT:
        c->done++;
        if (c->progress)
            c->progress(c->done, c->messages->len, c->progress_data);
        break;
    default:
        break;
    }
    va_end(ap);
}

/* ---- watching the dialogue ------------------------------------------- */

/* Does the EHLO reply we just read count (after TLS, when TLS is used)? */
static void
ehlo_finished(Ctx *c, int code)
{
    c->in_ehlo = FALSE;
    if (c->want_auth && (code != 250 || !c->ehlo_auth)) {
        if (c->oauth)
            fail(c, POSTIE_ERROR_UNSUPPORTED,
                 _("%s does not offer the login method %s (smtp_auth of "
                   "account %s); nothing was sent"), c->srv->host,
                 send_oauth_wanted_name(c->oauth), c->account->id);
        else if (c->auth_only)
            fail(c, POSTIE_ERROR_UNSUPPORTED,
                 _("%s does not offer AUTH %s (smtp_auth of account %s), so "
                   "postie did not log in; nothing was sent"), c->srv->host,
                 c->auth_only, c->account->id);
        else
            fail(c, POSTIE_ERROR_UNSUPPORTED,
                 _("%s does not offer AUTH, so postie cannot log in as account %s "
                   "asks; nothing was sent"), c->srv->host, c->account->id);
        cut(c);
        return;
    }
    /* 8-bit bodies go as they are only to a server that says 8BITMIME;
     * MAIL FROM is not written yet, so the declaration is in time. */
    for (guint i = 0; i < c->messages->len; i++) {
        SessionMessage *m = c->messages->pdata[i];
        MsgPriv *p = m->priv;
        m->used_8bitmime = c->ehlo_8bit && m->wire7 != NULL;
        if (m->used_8bitmime)
            smtp_8bitmime_set_body(p->m, E8bitmime_8BITMIME);
        /* MAIL FROM gets SIZE= when offered: a server with a lower limit
         * refuses at once instead of after the upload. */
        smtp_size_set_estimate(p->m, (unsigned long)(m->used_8bitmime || !m->wire7
                                                         ? m->wire8 : m->wire7)->len);
    }
}

static void
reply_line(Ctx *c, const char *line)
{
    gsize n = strlen(line);
    if (n < 3 || !g_ascii_isdigit(line[0]))
        return;
    int code = (int)g_ascii_strtoll(line, NULL, 10);
    gboolean last = n == 3 || line[3] == ' ';
    g_free(c->last_reply);
    c->last_reply = term_safe(line, -1, TERM_SAFE_DEFAULT);

    if (c->in_ehlo) {
        const char *kw = line + 4;
        if (n > 4 && code == 250) {
            if (!g_ascii_strncasecmp(kw, "8BITMIME", 8) && (kw[8] == '\0' || kw[8] == ' '))
                c->ehlo_8bit = TRUE;
            if (!g_ascii_strncasecmp(kw, "AUTH", 4) && (kw[4] == ' ' || kw[4] == '=')) {
                c->ehlo_auth = TRUE;
                g_free(c->ehlo_mechs);
                c->ehlo_mechs = g_strdup(kw + 5);
            }
        }
        if (last)
            ehlo_finished(c, code);
    } else if (c->in_auth) {
        if (code == 334)
            return;
        c->in_auth = FALSE;
        if (code == 235) {
            c->auth_ok = TRUE;
        } else if (c->auth_aborted) {
            /* A mechanism we do not use asked for a secret and we said
             * no: libesmtp goes on with the next one offered. */
            c->auth_aborted = FALSE;
        } else if (c->oauth) {
            g_autofree char *hint = conf_oauth_relogin_hint(c->account);
            fail(c, POSTIE_ERROR_AUTH, _("authentication failed for %s at %s: "
                                         "the OAuth token was refused (%s); "
                                         "server said: %s"),
                 c->account->id, c->srv->host, hint, c->last_reply);
            cut(c);
        } else {
            /* libesmtp would try the next mechanism, then send without
             * logging in: stop here instead. */
            fail(c, POSTIE_ERROR_AUTH, _("authentication failed for %s at %s "
                                         "(server said: %s)"),
                 c->account->id, c->srv->host, c->last_reply);
            cut(c);
        }
    }
}

static void
monitor_cb(const char *buf, int buflen, int writing, void *arg)
{
    Ctx *c = arg;
    if (buflen <= 0)
        return;
    if (writing == SMTP_CB_WRITING) {
        /* Until the first MAIL only commands are written (never a body). */
        if (c->mail_started)
            return;
        if (buflen >= 5 && (!g_ascii_strncasecmp(buf, "EHLO ", 5))) {
            c->in_ehlo = TRUE;
            c->ehlo_auth = c->ehlo_8bit = FALSE;
        } else if (buflen >= 5 && !g_ascii_strncasecmp(buf, "AUTH ", 5)) {
            c->in_auth = TRUE;
            c->auth_aborted = FALSE;
        } else if (c->in_auth && buf[0] == '*') {
            c->auth_aborted = TRUE;
        } else if (buflen >= 10 && !g_ascii_strncasecmp(buf, "MAIL FROM:", 10)) {
            c->mail_started = TRUE;
            if (c->want_auth && !c->auth_ok && c->oauth &&
                       !send_oauth_offered(c->oauth, c->ehlo_mechs)) {
                g_autofree char *offers = term_safe(c->ehlo_mechs ? c->ehlo_mechs : "",
                                                    -1, TERM_SAFE_DEFAULT);
                fail(c, POSTIE_ERROR_UNSUPPORTED,
                     _("%s does not offer the login method %s (it offers: %s); "
                       "nothing was sent"), c->srv->host,
                     send_oauth_wanted_name(c->oauth), offers);
                cut(c);
            } else if (c->want_auth && !c->auth_ok) {
                /* Never reached with a password in hand: AUTH refused
                 * or skipped.  The command is buffered, not yet out. */
                fail(c, POSTIE_ERROR_AUTH,
                     _("authentication failed for %s at %s"), c->account->id,
                     c->srv->host);
                cut(c);
            }
        }
        return;
    }
    if (writing != SMTP_CB_READING)
        return;
    g_string_append_len(c->line, buf, buflen);
    char *nl;
    while ((nl = memchr(c->line->str, '\n', c->line->len))) {
        gsize n = (gsize)(nl - c->line->str);
        char *one = g_strndup(c->line->str, n > 0 && nl[-1] == '\r' ? n - 1 : n);
        reply_line(c, one);
        g_free(one);
        g_string_erase(c->line, 0, (gssize)n + 1);
    }
    if (c->line->len > 4096)
        g_string_truncate(c->line, 0);
}

/* ---- AUTH -------------------------------------------------------------- */

static gboolean
secret_may_go(Ctx *c)
{
    switch (c->srv->security) {
    case SECURITY_TLS:
    case SECURITY_STARTTLS:
        return c->tls_verified;   /* the relay verified the server first */
    case SECURITY_NONE:
    default:
        return c->account->allow_plaintext_password;
    }
}

static int
interact(auth_client_request_t request, char **result, int fields, void *arg)
{
    Ctx *c = arg;
    if (c->oauth) {
        if (!secret_may_go(c)) {
            fail(c, POSTIE_ERROR_INSECURE,
                 _("refusing to send the OAuth token for %s to %s without "
                   "TLS (set allow_plaintext_password = true to allow it)"),
                 c->account->id, c->srv->host);
            cut(c);
            return 0;
        }
        g_autoptr(GError) e = NULL;
        int r = send_oauth_interact(c->oauth, request, result, fields, &e);
        if (r < 0) {
            fail(c, e->code, "%s", e->message);
            cut(c);
        }
        return r > 0;
    }
    for (int i = 0; i < fields; i++) {
        if (request[i].flags & AUTH_PASS) {
            if (!secret_may_go(c)) {
                fail(c, POSTIE_ERROR_INSECURE,
                     _("refusing to send the password for %s to %s without "
                       "TLS (set allow_plaintext_password = true to allow it)"),
                     c->account->id, c->srv->host);
                cut(c);
                return 0;
            }
            result[i] = c->secret;
        } else if (request[i].flags & AUTH_USER) {
            result[i] = c->srv->user ? c->srv->user : c->account->address;
        } else if (request[i].flags & AUTH_REALM) {
            result[i] = NULL;
        } else {
            result[i] = NULL;
        }
    }
    return 1;
}

/* ---- message data ------------------------------------------------------ */

static const char *
message_cb(void **scratch, int *len, void *arg)
{
    SessionMessage *m = arg;
    GString *w = m->used_8bitmime || !m->wire7 ? m->wire8 : m->wire7;
    (void)scratch;
    if (!len) {            /* rewind */
        m->sent_off = 0;
        return NULL;
    }
    if (m->sent_off >= w->len) {
        *len = 0;
        return NULL;
    }
    gsize n = MIN(w->len - m->sent_off, (gsize)65536);
    const char *p = w->str + m->sent_off;
    m->sent_off += n;
    *len = (int)n;
    return p;
}

/* ---- results ----------------------------------------------------------- */

static char *
status_text(const smtp_status_t *st)
{
    if (!st || !st->text)
        return NULL;
    g_autofree char *t = g_strdup(st->text);
    g_strchomp(t);
    return term_safe(t, -1, TERM_SAFE_DEFAULT);
}

static void
recipient_cb(smtp_recipient_t r, const char *mailbox, void *arg)
{
    SessionMessage *m = arg;
    const smtp_status_t *st = smtp_recipient_status(r);
    SendRecipientResult *rr = g_new0(SendRecipientResult, 1);
    rr->address = g_strdup(mailbox);
    rr->code = st ? st->code : 0;
    rr->reply = status_text(st);
    g_ptr_array_add(m->rcpt_results, rr);
}

static void
rcpt_result_free(gpointer p)
{
    SendRecipientResult *r = p;
    g_free(r->address);
    g_free(r->reply);
    g_free(r);
}

static void
collect_results(SessionMessage *m)
{
    MsgPriv *p = m->priv;
    const smtp_status_t *st = smtp_reverse_path_status(p->m);
    m->mail_code = st ? st->code : 0;
    m->mail_text = status_text(st);
    st = smtp_message_transfer_status(p->m);
    m->data_code = st ? st->code : 0;
    m->data_text = status_text(st);
    m->rcpt_results = g_ptr_array_new_with_free_func(rcpt_result_free);
    smtp_enumerate_recipients(p->m, recipient_cb, m);
}

/* ---- the session ------------------------------------------------------- */

gboolean
session_cram_md5_usable(void)
{
    auth_context_t a = auth_create_context();
    int ok = auth_set_mechanism(a, "CRAM-MD5");
    auth_destroy_context(a);
    return ok != 0;
}

/* The relay bounds every wait for the server by the account's timeout and
 * then cuts libesmtp off; libesmtp's own timeouts only back that up, so
 * they are longer (else the user would read "dropped connection" instead
 * of the timeout). */
static void
set_timeouts(smtp_session_t s, int seconds)
{
    long ms = ((long)MAX(seconds, 1) * 2 + 10) * 1000;
    for (int w = Timeout_GREETING; w <= Timeout_DATA2; w++)
        smtp_set_timeout(s, w | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
}

static gboolean
session_setup_auth(Ctx *c, auth_context_t *auth_out, GError **error)
{
    const ServerConf *srv = c->srv;
    *auth_out = NULL;
    if (!g_strcmp0(srv->auth, "none"))
        return TRUE;
    SendOAuthMode oauth = send_oauth_mode(c->account);
    gboolean has_secret = srv->password || srv->password_command;
    if (!g_strcmp0(srv->auth, "auto") && !has_secret && oauth == SEND_OAUTH_NONE)
        return TRUE;   /* nothing to log in with: submit without AUTH */
    if (srv->security == SECURITY_NONE && !c->account->allow_plaintext_password) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_INSECURE,
                    _("account %s: smtp_security is none, so the password would "
                      "go unencrypted to %s; use starttls or tls, or set "
                      "allow_plaintext_password = true"), c->account->id, srv->host);
        return FALSE;
    }
    gboolean cram = !g_strcmp0(srv->auth, "cram-md5");
    if (cram && !session_cram_md5_usable()) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("account %s: smtp_auth = cram-md5, but libesmtp cannot load "
                      "its CRAM-MD5 plugin on this system (it looks for "
                      "sasl-cram-md5.so, the package installs sasl-crammd5.so); "
                      "use plain or login over TLS instead"), c->account->id);
        return FALSE;
    }
    if (oauth != SEND_OAUTH_NONE) {
        if (!send_oauth_plugins_check(c->account, oauth, error))
            return FALSE;
        c->oauth = send_oauth_new(c->account, oauth, error);
        if (!c->oauth)
            return FALSE;
    } else {
        c->secret = conf_server_secret(c->account, srv, error);
        if (!c->secret)
            return FALSE;
    }
    auth_context_t a = auth_create_context();
    /* PLAIN and LOGIN are refused unless allowed; they only ever go over
     * verified TLS (or with allow_plaintext_password), see interact(). */
    if (!cram)
        auth_set_mechanism_flags(a, AUTH_PLUGIN_PLAIN, 0);
    auth_set_interact_cb(a, interact, c);
    c->want_auth = TRUE;
    /* What the relay leaves of the server's AUTH list: libesmtp takes
     * the first mechanism it can use in the server's order. */
    if (oauth == SEND_OAUTH_XOAUTH2)
        c->auth_only = "XOAUTH2";
    else if (oauth == SEND_OAUTH_OAUTHBEARER)
        c->auth_only = "OAUTHBEARER";
    else if (oauth == SEND_OAUTH_ANY)
        c->auth_only = "XOAUTH2 OAUTHBEARER";
    else if (!g_strcmp0(srv->auth, "plain"))
        c->auth_only = "PLAIN";
    else if (!g_strcmp0(srv->auth, "login"))
        c->auth_only = "LOGIN";
    else if (cram)
        c->auth_only = "CRAM-MD5";
    *auth_out = a;
    return TRUE;
}

static void
wipe_secret(Ctx *c)
{
    secret_free(c->secret);
    c->secret = NULL;
}

static void
on_cancel(GCancellable *cancellable, gpointer data)
{
    Ctx *c = data;
    fail(c, POSTIE_ERROR_CANCELLED, _("sending was cancelled"));
    cut(c);
}

/* Which messages did the server accept?  Only what the relay saw answer
 * the end of DATA or the last BDAT chunk counts, whatever libesmtp
 * recorded.  Transactions come in MAIL FROM order, one per message that
 * got as far (libesmtp never skips one that has recipients); a reverse
 * path that does not match ends the pairing: nothing after it counts. */
static void
apply_relay_view(GPtrArray *messages, GPtrArray *txns)
{
    guint j = 0;
    gboolean paired = TRUE;
    for (guint i = 0; i < messages->len; i++) {
        SessionMessage *m = messages->pdata[i];
        RelayTxn *t = NULL;
        if (paired && txns && j < txns->len) {
            t = txns->pdata[j++];
            if (g_strcmp0(t->reverse_path, m->reverse_path) != 0) {
                paired = FALSE;
                t = NULL;
            }
        }
        /* A MAIL the server never answered (the relay did, 421, after
         * the connection was lost) is no reply of the server's. */
        if (!t || t->mail_code != m->mail_code) {
            g_clear_pointer(&m->mail_text, g_free);
            m->mail_code = t ? t->mail_code : 0;
        }
        g_clear_pointer(&m->data_text, g_free);
        m->data_code = 0;
        if (t && t->final_code) {
            m->data_code = t->final_code;
            g_autofree char *line = g_strdup(t->final_text);
            g_strchomp(line);
            m->data_text = term_safe(strlen(line) > 4 ? line + 4 : "", -1,
                                     TERM_SAFE_DEFAULT);
            /* A 2xx to a step before the end accepts nothing. */
            if (!t->final_seen && m->data_code < 400)
                m->data_code = 0;
        }
    }
}

/* In the relay's thread: a message's final reply.  Transaction J is
 * message J (see apply_relay_view()). */
static void
on_relay_final(guint j, const RelayTxn *t, gpointer data)
{
    Ctx *c = data;
    if (!c->accepted || !t->final_seen || t->final_code < 200 || t->final_code >= 300 ||
        t->rcpts == 0 || t->rcpts_accepted != t->rcpts || j >= c->messages->len)
        return;
    SessionMessage *m = c->messages->pdata[j];
    if (g_strcmp0(m->reverse_path, t->reverse_path) != 0)
        return;
    g_autoptr(GError) e = NULL;
    if (!c->accepted(m, c->progress_data, &e)) {
        fail(c, e->code, "%s", e->message);
        cut(c);
    }
}

/* The EHLO argument libesmtp is given: 128 random bits that only this
 * session knows (the relay serves no other loopback connection). */
static char *
relay_token(void)
{
    guint8 r[16];
    if (RAND_bytes(r, sizeof r) != 1)
        return NULL;
    GString *t = g_string_new("postie-");
    for (gsize i = 0; i < sizeof r; i++)
        g_string_append_printf(t, "%02x", r[i]);
    return g_string_free(t, FALSE);
}

gboolean
session_run(const Account *account, GPtrArray *messages,
            SessionProgress progress, SessionAccepted accepted, gpointer pdata,
            GCancellable *cancellable, GError **error)
{
    static gsize auth_init = 0;
    if (g_once_init_enter(&auth_init)) {
        auth_client_init();
        g_once_init_leave(&auth_init, 1);
    }
    Ctx c = { 0 };
    c.account = account;
    c.srv = &account->smtp;
    c.messages = messages;
    c.progress = progress;
    c.accepted = accepted;
    c.progress_data = pdata;
    c.line = g_string_new(NULL);
    g_mutex_init(&c.failure_lock);
    const ServerConf *srv = c.srv;
    gboolean ok = FALSE;
    smtp_session_t s = NULL;
    auth_context_t auth = NULL;
    g_autofree char *hostport = NULL;
    g_autofree char *token = NULL;
    GPtrArray *txns = NULL;

    if (!srv->host || strchr(srv->host, ':')) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: smtp_host must be a host name or IPv4 address"),
                    account->id);
        goto out;
    }
    if (!session_setup_auth(&c, &auth, error))
        goto out;
    token = relay_token();
    if (!token) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("no random numbers for the SMTP relay"));
        goto out;
    }
    if (g_cancellable_set_error_if_cancelled(cancellable, error))
        goto out;

    /* postie's own connection (TLS verified when configured), then
     * libesmtp talks to it over loopback. */
    c.relay = relay_start(account, token, g_get_host_name(), c.auth_only,
                          on_relay_final, &c, cancellable, &c.port, error);
    if (!c.relay)
        goto out;
    c.tls_verified = srv->security != SECURITY_NONE;
    hostport = g_strdup_printf("127.0.0.1:%u", c.port);

    s = smtp_create_session();
    smtp_starttls_enable(s, Starttls_DISABLED);
    smtp_set_server(s, hostport);
    smtp_set_hostname(s, token);
    smtp_set_eventcb(s, event_cb, &c);
    smtp_set_monitorcb(s, monitor_cb, &c, 0);
    set_timeouts(s, account->timeout);
    if (auth)
        smtp_auth_set_context(s, auth);

    for (guint i = 0; i < messages->len; i++) {
        SessionMessage *m = messages->pdata[i];
        MsgPriv *p = g_new0(MsgPriv, 1);
        m->priv = p;
        p->m = smtp_add_message(s);
        smtp_set_reverse_path(p->m, m->reverse_path);
        for (guint k = 0; k < m->rcpts->len; k++)
            smtp_add_recipient(p->m, m->rcpts->pdata[k]);
        smtp_set_messagecb(p->m, message_cb, m);
    }

    gulong handler = 0;
    if (cancellable) {
        handler = g_cancellable_connect(cancellable, G_CALLBACK(on_cancel), &c, NULL);
    }
    int started = 0, err = 0;
    if (!g_cancellable_is_cancelled(cancellable)) {
        started = smtp_start_session(s);
        err = smtp_errno();
    }
    if (cancellable)
        g_cancellable_disconnect(cancellable, handler);
    if (g_cancellable_is_cancelled(cancellable))
        on_cancel(cancellable, &c);
    for (guint i = 0; i < messages->len; i++)
        collect_results(messages->pdata[i]);

    /* libesmtp is done: every reply it read, the relay saw first. */
    GError *relay_error = NULL;
    relay_abort(c.relay);
    txns = relay_finish(c.relay, &relay_error);
    c.relay = NULL;
    apply_relay_view(messages, txns);
    if (c.failure) {
        g_propagate_error(error, g_steal_pointer(&c.failure));
        g_clear_error(&relay_error);
        goto out;
    }
    if (relay_error) {
        g_propagate_error(error, relay_error);
        goto out;
    }
    if (!started || err != 0) {
        char buf[256];
        const char *why = smtp_strerror(err, buf, sizeof buf);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("the connection to %s failed: %s"), srv->host,
                    err < 0 ? g_strerror(-err) : (why ? why : "?"));
        goto out;
    }
    ok = TRUE;
out:
    if (c.relay) {
        relay_abort(c.relay);
        g_ptr_array_unref(relay_finish(c.relay, NULL));
    }
    if (txns)
        g_ptr_array_unref(txns);
    if (s)
        smtp_destroy_session(s);
    if (auth)
        auth_destroy_context(auth);
    wipe_secret(&c);
    send_oauth_free(c.oauth);
    g_free(c.ehlo_mechs);
    g_clear_error(&c.failure);
    g_mutex_clear(&c.failure_lock);
    g_string_free(c.line, TRUE);
    g_free(c.last_reply);
    return ok;
}
