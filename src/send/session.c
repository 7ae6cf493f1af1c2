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
 *  - it never logs in: postie did (relay-connect.c, auth.c) before
 *    libesmtp connects, and it is given no auth context and sees no AUTH
 *    in the EHLO reply; so its SASL defects (a response over 1533 bytes
 *    silently dropped, mechanisms only as plugins, the first mechanism in
 *    the server's order, going on unauthenticated after a refusal) cannot
 *    bite;
 *  - smtp_start_session() returns 1 when TLS or MAIL failed: success is
 *    judged from the status of MAIL, of every RCPT and of the transfer.
 */
#include <config.h>

#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/ssl.h>
#include <libesmtp.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

typedef struct {
    const Account *account;
    const ServerConf *srv;
    guint16 port;                 /* the relay's loopback port */
    Relay *relay;
    GMutex failure_lock;          /* failure is also set when cancelled */
    GError *failure;              /* first session-level failure */
    gboolean in_ehlo, ehlo_8bit, mail_started;
    GString *line;                /* reply bytes not yet a line */
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

/* libesmtp read the EHLO reply (the relay's: the server's extensions). */
static void
ehlo_finished(Ctx *c)
{
    c->in_ehlo = FALSE;
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
    if (n < 3 || !g_ascii_isdigit(line[0]) || !c->in_ehlo)
        return;
    int code = (int)g_ascii_strtoll(line, NULL, 10);
    const char *kw = line + 4;
    if (n > 4 && code == 250 && !g_ascii_strncasecmp(kw, "8BITMIME", 8) &&
        (kw[8] == '\0' || kw[8] == ' '))
        c->ehlo_8bit = TRUE;
    if (n == 3 || line[3] == ' ')
        ehlo_finished(c);
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
            c->ehlo_8bit = FALSE;
        } else if (buflen >= 10 && !g_ascii_strncasecmp(buf, "MAIL FROM:", 10)) {
            c->mail_started = TRUE;
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
 * session knows (the relay serves no other loopback connection).  From
 * the kernel: OpenSSL's RAND_bytes() would first load its configuration
 * and set up its DRBGs, 1.5 ms of a plain-text session that needs no
 * other OpenSSL at all. */
static char *
relay_token(void)
{
    guint8 r[16];
    ssize_t n;
    do
        n = getrandom(r, sizeof r, 0);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof r)
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
    SmtpLogin *login = NULL;
    g_autofree char *hostport = NULL;
    g_autofree char *token = NULL;
    GPtrArray *txns = NULL;

    if (!srv->host || strchr(srv->host, ':')) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: smtp_host must be a host name or IPv4 address"),
                    account->id);
        goto out;
    }
    /* The secret first (its command may take a while), then connect. */
    if (!smtp_login_new(account, &login, error))
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
    c.relay = relay_start(account, token, g_get_host_name(), login,
                          on_relay_final, &c, cancellable, &c.port, error);
    /* Logged in (or refused): the secret is no longer needed. */
    g_clear_pointer(&login, smtp_login_free);
    if (!c.relay)
        goto out;
    hostport = g_strdup_printf("127.0.0.1:%u", c.port);

    s = smtp_create_session();
    smtp_starttls_enable(s, Starttls_DISABLED);
    smtp_set_server(s, hostport);
    smtp_set_hostname(s, token);
    smtp_set_eventcb(s, event_cb, &c);
    smtp_set_monitorcb(s, monitor_cb, &c, 0);
    set_timeouts(s, account->timeout);

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
    smtp_login_free(login);
    g_clear_error(&c.failure);
    g_mutex_clear(&c.failure_lock);
    g_string_free(c.line, TRUE);
    return ok;
}
