/* One SMTP session through libesmtp for all of an account's messages.
 *
 * libesmtp 1.1.0 needs watching (see doc/postie-send.1, BUGS):
 *  - we always hand it our own SSL_CTX from net/ (its own one is freed
 *    while still cached: a use-after-free on the second session);
 *  - that context is capped at TLS 1.2 for STARTTLS, because libesmtp can
 *    stall after a TLS 1.3 handshake when session tickets arrive early;
 *  - it sends no SNI: an info callback sets it at the handshake start;
 *  - its own certificate checks ignore IP SANs and are not ours: every
 *    certificate event is decided by net_tls_check_peer() with the host
 *    name the user configured, and STARTTLS_OK is checked again;
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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

typedef struct {
    const Account *account;
    const ServerConf *srv;
    guint16 port;                 /* where libesmtp connects */
    gboolean tls_verified;        /* our check passed on this session */
    int fd;                       /* libesmtp's socket once known, or -1 */
    Bridge *bridge;
    GMutex failure_lock;          /* failure is also set when cancelled */
    GError *failure;              /* first session-level failure */
    char *secret;
    SendOAuth *oauth;             /* login with a token (oauth_auth.c) */
    gboolean want_auth;
    gboolean in_ehlo, ehlo_auth, ehlo_8bit, mail_started;
    gboolean in_auth, auth_ok;
    gboolean auth_aborted;        /* we cancelled this AUTH ("*") */
    char *ehlo_mechs;             /* the AUTH list of the last EHLO */
    gboolean probe;               /* no messages: only connect and log in */
    gboolean probe_ok;            /* the probe got as far as MAIL FROM */
    GString *line;                /* reply bytes not yet a full line */
    char *last_reply;
    GPtrArray *messages;          /* SessionMessage* */
    guint done;
    SessionProgress progress;
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

/* Stop the session now: libesmtp sees the connection drop and sends
 * nothing more (it has no cancel call). */
static void
cut(Ctx *c)
{
    if (c->bridge)
        bridge_abort(c->bridge);
    if (c->fd >= 0)
        shutdown(c->fd, SHUT_RDWR);
}

/* libesmtp does not tell us its socket; find it: the newest TCP socket of
 * this process connected to the port it was told. */
static int
find_session_fd(guint16 port)
{
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
                  ? (int)rl.rlim_cur : 65536;
    for (int fd = max - 1; fd > 2; fd--) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
            continue;
        guint16 p = 0;
        if (ss.ss_family == AF_INET)
            p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        if (p == port)
            return fd;
    }
    return -1;
}

/* ---- TLS: SNI and our certificate policy ------------------------------ */

static int sni_index = -1;

static void
sni_cb(const SSL *ssl, int where, int ret)
{
    (void)ret;
    if (!(where & SSL_CB_HANDSHAKE_START))
        return;
    SSL *s = (SSL *)ssl;
    const char *host = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(s), sni_index);
    if (host && !SSL_get_servername(s, TLSEXT_NAMETYPE_host_name) &&
        !g_hostname_is_ip_address(host))
        SSL_set_tlsext_host_name(s, host);
}

static gboolean
check_peer(Ctx *c, SSL *ssl)
{
    g_autoptr(GError) e = NULL;
    if (ssl && net_tls_check_peer(ssl, c->srv->host, c->srv->tls_fingerprint, &e))
        return TRUE;
    if (e)
        fail(c, POSTIE_ERROR_TLS, "%s", e->message);
    else
        fail(c, POSTIE_ERROR_TLS, _("%s sent no certificate"), c->srv->host);
    return FALSE;
}

/* ---- events ------------------------------------------------------------ */

static void
event_cb(smtp_session_t session, int event, void *arg, ...)
{
    Ctx *c = arg;
    va_list ap;
    va_start(ap, arg);
    switch (event) {
    case SMTP_EV_CONNECT:
        c->fd = find_session_fd(c->port);
        if (c->fd >= 0) {
            /* libesmtp writes the end of DATA in a small segment of its
             * own; with Nagle that waits for the server's delayed ACK
             * (40 ms per message on Linux). */
            int one = 1;
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        break;
    case SMTP_EV_STARTTLS_OK: {
        SSL *ssl = va_arg(ap, SSL *);
        if (check_peer(c, ssl)) {
            c->tls_verified = TRUE;
            c->fd = SSL_get_fd(ssl);
        } else {
            c->fd = SSL_get_fd(ssl);
            cut(c);
        }
        break;
    }
    case SMTP_EV_INVALID_PEER_CERTIFICATE: {
        (void)va_arg(ap, long);
        int *ok = va_arg(ap, int *);
        SSL *ssl = va_arg(ap, SSL *);
        *ok = check_peer(c, ssl);
        break;
    }
    case SMTP_EV_WRONG_PEER_CERTIFICATE: {
        int *ok = va_arg(ap, int *);
        (void)va_arg(ap, const char *);
        SSL *ssl = va_arg(ap, SSL *);
        *ok = check_peer(c, ssl);
        break;
    }
    case SMTP_EV_NO_PEER_CERTIFICATE: {
        int *ok = va_arg(ap, int *);
        *ok = 0;
        fail(c, POSTIE_ERROR_TLS, _("%s sent no certificate"), c->srv->host);
        break;
    }
    case SMTP_EV_WEAK_CIPHER: {
        int bits = va_arg(ap, int);
        int *ok = va_arg(ap, int *);
        *ok = bits >= 128;
        if (!*ok)
            fail(c, POSTIE_ERROR_TLS, _("%s offered only a weak cipher (%d bits)"),
                 c->srv->host, bits);
        break;
    }
    case SMTP_EV_NO_CLIENT_CERTIFICATE:
    case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
    case SMTP_EV_UNUSABLE_CA_LIST: {
        int *ok = va_arg(ap, int *);
        *ok = 1;   /* we use no client certificate; CAs are in our ctx */
        break;
    }
    case SMTP_EV_EXTNA_STARTTLS:
        fail(c, POSTIE_ERROR_UNSUPPORTED,
             _("%s does not offer STARTTLS, so postie did not log in or send "
               "anything (smtp_security = starttls requires it)"), c->srv->host);
        break;
    case SMTP_EV_EXTNA_DSN:
    case SMTP_EV_EXTNA_CHUNKING:
    case SMTP_EV_SYNTAXWARNING: {
        int *quit = va_arg(ap, int *);
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
static gboolean
ehlo_counts(Ctx *c)
{
    return c->srv->security != SECURITY_STARTTLS || c->tls_verified;
}

static void
ehlo_finished(Ctx *c, int code)
{
    c->in_ehlo = FALSE;
    if (!ehlo_counts(c))
        return;
    if (c->want_auth && (code != 250 || !c->ehlo_auth)) {
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
            if (c->probe && !(c->want_auth && !c->auth_ok)) {
                c->probe_ok = TRUE;   /* logged in: that was the test */
                cut(c);
            } else if (c->want_auth && !c->auth_ok && c->oauth &&
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
        return TRUE;   /* the bridge verified the server first */
    case SECURITY_STARTTLS:
        return c->tls_verified;
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

/* The probe's message: never read, since the probe stops before MAIL. */
static const char *
probe_message_cb(void **scratch, int *len, void *arg)
{
    (void)scratch;
    (void)arg;
    if (len)
        *len = 0;
    return NULL;
}

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

static SSL_CTX *
make_ctx(Ctx *c, GError **error)
{
    SSL_CTX *ctx = net_tls_client_ctx_new(c->srv->ca_file, error);
    if (!ctx)
        return NULL;
    /* libesmtp can stall after a TLS 1.3 handshake (tickets read before
     * its EHLO is flushed); TLS 1.2 with a modern cipher does not. */
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        sni_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
        g_once_init_leave(&once, 1);
    }
    SSL_CTX_set_ex_data(ctx, sni_index, c->srv->host);
    SSL_CTX_set_info_callback(ctx, sni_cb);
    return ctx;
}

static gboolean
cram_md5_usable(void)
{
    auth_context_t a = auth_create_context();
    int ok = auth_set_mechanism(a, "CRAM-MD5");
    auth_destroy_context(a);
    return ok != 0;
}

static void
set_timeouts(smtp_session_t s, int seconds)
{
    long ms = (long)MAX(seconds, 1) * 1000;
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
    if (cram && !cram_md5_usable()) {
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
    *auth_out = a;
    return TRUE;
}

static void
wipe_secret(Ctx *c)
{
    if (c->secret) {
        memset(c->secret, 0, strlen(c->secret));
        g_free(c->secret);
        c->secret = NULL;
    }
}

static void
on_cancel(GCancellable *cancellable, gpointer data)
{
    Ctx *c = data;
    fail(c, POSTIE_ERROR_CANCELLED, _("sending was cancelled"));
    cut(c);
}

gboolean
session_run(const Account *account, GPtrArray *messages,
            SessionProgress progress, gpointer pdata,
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
    c.fd = -1;
    c.messages = messages;
    c.progress = progress;
    c.progress_data = pdata;
    c.line = g_string_new(NULL);
    g_mutex_init(&c.failure_lock);
    const ServerConf *srv = c.srv;
    gboolean ok = FALSE;
    smtp_session_t s = NULL;
    auth_context_t auth = NULL;
    SSL_CTX *ctx = NULL;
    g_autofree char *hostport = NULL;

    if (!srv->host || strchr(srv->host, ':')) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("account %s: smtp_host must be a host name or IPv4 address"),
                    account->id);
        goto out;
    }
    if (!session_setup_auth(&c, &auth, error))
        goto out;

    s = smtp_create_session();
    if (srv->security == SECURITY_TLS) {
        c.bridge = bridge_start(account, &c.port, error);
        if (!c.bridge)
            goto out;
        hostport = g_strdup_printf("127.0.0.1:%u", c.port);
        smtp_starttls_enable(s, Starttls_DISABLED);
    } else {
        c.port = srv->port;
        hostport = g_strdup_printf("%s:%u", srv->host, srv->port);
        if (srv->security == SECURITY_STARTTLS) {
            ctx = make_ctx(&c, error);
            if (!ctx)
                goto out;
            smtp_starttls_enable(s, Starttls_REQUIRED);
            smtp_starttls_set_ctx(s, ctx);
        } else {
            smtp_starttls_enable(s, Starttls_DISABLED);
        }
    }
    smtp_set_server(s, hostport);
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

    /* No messages: a test of the connection and the login (probe).
     * libesmtp 1.1.0 starts no session without something to do ("Nothing
     * to do") and crashes on an ETRN-only one, so it gets a message that
     * never leaves: the connection is cut when MAIL FROM is about to go
     * out, after STARTTLS and AUTH. */
    if (messages->len == 0) {
        c.probe = TRUE;
        smtp_message_t pm = smtp_add_message(s);
        smtp_set_reverse_path(pm, account->address ? account->address : "");
        smtp_add_recipient(pm, account->address ? account->address : "postmaster");
        smtp_set_messagecb(pm, probe_message_cb, NULL);
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

    GError *bridge_error = NULL;
    if (c.bridge) {
        bridge_finish(c.bridge, &bridge_error);
        c.bridge = NULL;
    }
    if (c.failure) {
        g_propagate_error(error, g_steal_pointer(&c.failure));
        g_clear_error(&bridge_error);
        goto out;
    }
    if (c.probe_ok && (srv->security != SECURITY_STARTTLS || c.tls_verified)) {
        g_clear_error(&bridge_error);   /* the cut we made ourselves */
        ok = TRUE;
        goto out;
    }
    if (bridge_error) {
        g_propagate_error(error, bridge_error);
        goto out;
    }
    if (!started) {
        char buf[256];
        const char *why = smtp_strerror(err, buf, sizeof buf);
        if (err >= SMTP_ERR_EAI_ADDRFAMILY && err <= SMTP_ERR_EAI_SOCKTYPE)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                        _("cannot find the SMTP server %s: %s"), srv->host,
                        why ? why : "?");
        else
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                        _("cannot connect to %s port %u: %s"), srv->host,
                        srv->port, err < 0 ? g_strerror(-err) : (why ? why : "?"));
        goto out;
    }
    if (srv->security == SECURITY_STARTTLS && !c.tls_verified) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("TLS could not be started with %s (last reply: %s); "
                      "nothing was sent"), srv->host,
                    c.last_reply ? c.last_reply : _("none"));
        goto out;
    }
    if (err != 0) {
        char buf[256];
        const char *why = smtp_strerror(err, buf, sizeof buf);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                    _("the connection to %s failed: %s"), srv->host,
                    why ? why : "?");
        goto out;
    }
    ok = TRUE;
out:
    if (c.bridge)
        bridge_finish(c.bridge, NULL);
    if (s)
        smtp_destroy_session(s);
    if (auth)
        auth_destroy_context(auth);
    if (ctx)
        SSL_CTX_free(ctx);
    wipe_secret(&c);
    send_oauth_free(c.oauth);
    g_free(c.ehlo_mechs);
    g_clear_error(&c.failure);
    g_mutex_clear(&c.failure_lock);
    g_string_free(c.line, TRUE);
    g_free(c.last_reply);
    return ok;
}
