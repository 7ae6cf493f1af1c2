/* Pop3Session: connect, greeting, CAPA, STLS, simple commands, QUIT. */
#include <config.h>

#include <string.h>

#include "pop3/private.h"
#include "util/util.h"

guint
pop3_caps(const Pop3Session *s)
{
    return s->caps;
}

const char *const *
pop3_sasl_mechs(const Pop3Session *s)
{
    return (const char *const *) s->mechs;
}

gboolean
pop3_is_tls(const Pop3Session *s)
{
    return s->conn && net_conn_is_tls(s->conn);
}

gboolean
pop3_is_broken(const Pop3Session *s)
{
    return s->broken;
}

const char *
pop3_host(const Pop3Session *s)
{
    return s->host;
}

const char *
pop3_last_server_text(const Pop3Session *s)
{
    return s->server_text ? s->server_text : "";
}

char *
pop3_peer_fingerprint(Pop3Session *s)
{
    return s->conn && net_conn_ssl(s->conn)
           ? net_tls_peer_fingerprint(net_conn_ssl(s->conn)) : NULL;
}

void
pop3_session_free(Pop3Session *s)
{
    if (!s)
        return;
    net_conn_free(s->conn);
    g_clear_object(&s->cancellable);
    if (s->ctx)
        SSL_CTX_free(s->ctx);
    g_free(s->host);
    g_free(s->fingerprint);
    g_strfreev(s->mechs);
    g_free(s->apop_timestamp);
    g_free(s->server_text);
    if (s->msg) {
        explicit_bzero(s->msg->str, s->msg->allocated_len);
        g_string_free(s->msg, TRUE);
    }
    g_free(s);
}

gboolean
pop3_check_usable(Pop3Session *s, GError **error)
{
    if (!s->broken)
        return TRUE;
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET,
                _("%s: the POP3 connection is no longer usable"), s->host);
    return FALSE;
}

/* Errors from net/ mark the session broken; pass them on. */
static gboolean
net_failed(Pop3Session *s, GError *e, GError **error)
{
    s->broken = TRUE;
    g_propagate_error(error, e);
    return FALSE;
}

gboolean
pop3_send(Pop3Session *s, const char *line, GError **error)
{
    if (!pop3_check_usable(s, error))
        return FALSE;
    g_autofree char *l = g_strconcat(line, "\r\n", NULL);
    GError *e = NULL;
    gboolean ok = net_conn_write(s->conn, l, strlen(l), &e);
    secret_wipe(l);              /* may hold a secret */
    return ok ? TRUE : net_failed(s, e, error);
}

static void
set_server_text(Pop3Session *s, const char *text, gsize len)
{
    g_free(s->server_text);
    s->server_text = term_safe(text, (gssize) MIN(len, 4096), TERM_SAFE_DEFAULT);
    if (g_utf8_strlen(s->server_text, -1) > 300) {
        char *end = g_utf8_offset_to_pointer(s->server_text, 300);
        *end = '\0';
    }
}

gboolean
pop3_read_reply(Pop3Session *s, Pop3Reply *reply, GError **error)
{
    if (!pop3_check_usable(s, error))
        return FALSE;
    gsize len = 0;
    GError *e = NULL;
    const char *line = net_conn_read_line(s->conn, s->max_line, &len, &e);
    if (!line)
        return net_failed(s, e, error);
    pop3_parse_reply(line, len, reply);
    /* A bad line is shown whole, NUL bytes included (made visible). */
    if (reply->kind == POP3_REPLY_BAD)
        set_server_text(s, line, len);
    else
        set_server_text(s, reply->text, strlen(reply->text));
    return TRUE;
}

void
pop3_garbage_error(Pop3Session *s, const char *what, GError **error)
{
    s->broken = TRUE;
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                _("%s: the server sent an invalid reply to %s (server said: %s)"),
                s->host, what, pop3_last_server_text(s));
}

void
pop3_reply_error(Pop3Session *s, const Pop3Reply *reply, gboolean login,
                 const char *what, GError **error)
{
    if (reply->kind != POP3_REPLY_ERR) {
        pop3_garbage_error(s, what, error);
        return;
    }
    int code = pop3_error_code_for(reply->code, login);
    const char *explain = pop3_resp_code_message(reply->code);
    if (explain)
        g_set_error(error, POSTIE_ERROR, code,
                    _("%s: %s failed: %s (server said: %s)"), s->host, what,
                    explain, pop3_last_server_text(s));
    else
        g_set_error(error, POSTIE_ERROR, code,
                    _("%s: %s failed (server said: %s)"), s->host, what,
                    pop3_last_server_text(s));
}

gboolean
pop3_simple(Pop3Session *s, const char *cmd, const char *what,
            Pop3Reply *reply, GError **error)
{
    Pop3Reply r;
    if (!reply)
        reply = &r;
    if (!pop3_send(s, cmd, error) || !pop3_read_reply(s, reply, error))
        return FALSE;
    if (reply->kind != POP3_REPLY_OK) {
        pop3_reply_error(s, reply, FALSE, what, error);
        return FALSE;
    }
    return TRUE;
}

gboolean
pop3_read_multiline(Pop3Session *s, gsize max_line, gsize max_total,
                    GError **error)
{
    return pop3_read_multiline_parts(s, max_line, max_total, NULL, NULL, error);
}

gboolean
pop3_read_multiline_parts(Pop3Session *s, gsize max_line, gsize max_total,
                          Pop3PieceFunc piece, gpointer piece_data,
                          GError **error)
{
    if (max_total == 0)
        max_total = s->max_message;
    Pop3Unstuff u;
    pop3_unstuff_init(&u, max_line);
    g_string_truncate(s->msg, 0);
    gsize handed = 0;              /* bytes given to PIECE so far */
    for (;;) {
        gsize len = 0, used = 0;
        GError *e = NULL;
        const char *data = net_conn_peek(s->conn, &len, &e);
        if (!data)
            return net_failed(s, e, error);
        Pop3UnstuffResult r = pop3_unstuff_feed(&u, data, len, s->msg, &used);
        net_conn_consume(s->conn, used);
        if (r == POP3_UNSTUFF_DONE)
            return TRUE;
        if (r == POP3_UNSTUFF_TOO_LONG) {
            s->broken = TRUE;
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                        _("%s: the server sent a line longer than %" G_GSIZE_FORMAT
                          " bytes"), s->host, u.max_line);
            return FALSE;
        }
        if (handed + s->msg->len > max_total) {
            s->broken = TRUE;
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                        _("%s: the server sent a reply larger than %" G_GSIZE_FORMAT
                          " bytes"), s->host, max_total);
            return FALSE;
        }
        /* Memory stays bounded whatever the server sends. */
        if (piece && s->msg->len >= POP3_PIECE_SIZE) {
            piece(s->msg->str, s->msg->len, piece_data);
            handed += s->msg->len;
            g_string_truncate(s->msg, 0);
        }
    }
}

/* CAPA (RFC 2449).  A server without CAPA gets the RFC 1939 basics. */
static gboolean
capa(Pop3Session *s, GError **error)
{
    Pop3Reply r;
    if (!pop3_send(s, "CAPA", error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    g_strfreev(s->mechs);
    s->mechs = NULL;
    guint keep = s->caps & POP3_CAP_APOP;
    s->caps = keep;
    if (r.kind == POP3_REPLY_ERR) {
        s->mechs = g_new0(char *, 1);
        s->caps |= POP3_CAP_USER;      /* the best we can assume */
        return TRUE;
    }
    if (r.kind != POP3_REPLY_OK) {
        pop3_garbage_error(s, "CAPA", error);
        return FALSE;
    }
    if (!pop3_read_multiline(s, s->max_line, s->max_line, error))
        return FALSE;
    g_autoptr(GPtrArray) mechs = g_ptr_array_new();
    guint caps = POP3_CAP_CAPA;
    gsize lines = 0;
    for (char *line = s->msg->str; *line; lines++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (lines < 1000)
            pop3_parse_capa_line(line, &caps, mechs);
        if (!nl)
            break;
        line = nl + 1;
    }
    g_ptr_array_add(mechs, NULL);
    s->mechs = (char **) g_ptr_array_steal(mechs, NULL);
    s->caps = caps | keep;
    return TRUE;
}

static gboolean
greeting(Pop3Session *s, GError **error)
{
    Pop3Reply r;
    if (!pop3_read_reply(s, &r, error))
        return FALSE;
    if (r.kind == POP3_REPLY_ERR) {
        pop3_reply_error(s, &r, FALSE, _("connecting"), error);
        s->broken = TRUE;
        return FALSE;
    }
    if (r.kind != POP3_REPLY_OK) {
        s->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s: this does not look like a POP3 server (it said: %s)"),
                    s->host, pop3_last_server_text(s));
        return FALSE;
    }
    s->apop_timestamp = pop3_parse_greeting_timestamp(r.text);
    if (s->apop_timestamp)
        s->caps |= POP3_CAP_APOP;
    return TRUE;
}

/* A refused certificate: its fingerprint for the caller that asked. */
static void
note_refused(Pop3Session *s, const GError *e)
{
    if (s->refused_fingerprint && g_error_matches(e, POSTIE_ERROR, POSTIE_ERROR_TLS)) {
        g_free(*s->refused_fingerprint);
        *s->refused_fingerprint = net_conn_peer_fingerprint(s->conn);
    }
}

static gboolean
stls(Pop3Session *s, GError **error)
{
    if (!(s->caps & POP3_CAP_STLS)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                    _("%s: the server does not offer STLS, but security is "
                      "starttls; stopped before sending any password (use "
                      "security = tls if the server has POP3S on port 995)"),
                    s->host);
        return FALSE;
    }
    Pop3Reply r;
    if (!pop3_send(s, "STLS", error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    if (r.kind != POP3_REPLY_OK) {
        if (r.kind == POP3_REPLY_BAD) {
            pop3_garbage_error(s, "STLS", error);
            return FALSE;
        }
        s->broken = TRUE;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS,
                    _("%s: the server refused STLS; stopped before sending any "
                      "password (server said: %s)"),
                    s->host, pop3_last_server_text(s));
        return FALSE;
    }
    GError *e = NULL;
    if (!net_conn_start_tls(s->conn, s->ctx, s->fingerprint, &e)) {
        note_refused(s, e);
        return net_failed(s, e, error);
    }
    /* RFC 2595: forget everything learned before TLS. */
    s->caps &= POP3_CAP_APOP;
    return capa(s, error);
}

/* RFC 6856: ask for mail as it was sent, raw UTF-8 headers included,
 * before logging in.  A refusal changes nothing we rely on. */
static gboolean
utf8(Pop3Session *s, GError **error)
{
    if (!(s->caps & POP3_CAP_UTF8))
        return TRUE;
    Pop3Reply r;
    if (!pop3_send(s, "UTF8", error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    if (r.kind != POP3_REPLY_OK && r.kind != POP3_REPLY_ERR) {
        pop3_garbage_error(s, "UTF8", error);
        return FALSE;
    }
    return TRUE;
}

Pop3Session *
pop3_open(const Pop3Options *o, GError **error)
{
    g_return_val_if_fail(o && o->host, NULL);
    g_autoptr(Pop3Session) s = g_new0(Pop3Session, 1);
    s->host = g_strdup(o->host);
    s->security = o->security;
    s->port = o->port ? o->port : (o->security == SECURITY_TLS ? 995 : 110);
    s->fingerprint = (o->tls_fingerprint && *o->tls_fingerprint)
                     ? g_strdup(o->tls_fingerprint) : NULL;
    s->window = o->window ? o->window : POP3_DEFAULT_WINDOW;
    s->cancellable = o->cancellable ? g_object_ref(o->cancellable) : NULL;
    s->refused_fingerprint = o->refused_fingerprint;
    s->msg = g_string_sized_new(64 * 1024);
    s->max_line = POP3_MAX_LINE;
    s->max_message = POP3_MAX_MESSAGE;

    if (o->security != SECURITY_NONE) {
        s->ctx = net_tls_client_ctx_new(o->ca_file, error);
        if (!s->ctx)
            return NULL;
    }
    s->conn = net_conn_connect(s->host, s->port, o->timeout, o->cancellable,
                               error);
    if (!s->conn)
        return NULL;
    if (o->security == SECURITY_TLS) {
        GError *e = NULL;
        if (!net_conn_start_tls(s->conn, s->ctx, s->fingerprint, &e)) {
            note_refused(s, e);
            g_propagate_error(error, e);
            return NULL;
        }
    }
    if (!greeting(s, error) || !capa(s, error))
        return NULL;
    if (o->security == SECURITY_STARTTLS && !stls(s, error))
        return NULL;
    if (!utf8(s, error))
        return NULL;
    return g_steal_pointer(&s);
}

gboolean
pop3_rset(Pop3Session *s, GError **error)
{
    if (!pop3_simple(s, "RSET", "RSET", NULL, error))
        return FALSE;
    s->n_deleted = 0;
    return TRUE;
}

gboolean
pop3_noop(Pop3Session *s, GError **error)
{
    return pop3_simple(s, "NOOP", "NOOP", NULL, error);
}

gboolean
pop3_quit(Pop3Session *s, GError **error)
{
    Pop3Reply r;
    if (!pop3_send(s, "QUIT", error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    s->broken = TRUE;           /* nothing may follow QUIT */
    if (r.kind != POP3_REPLY_OK) {
        pop3_reply_error(s, &r, FALSE, "QUIT", error);
        return FALSE;
    }
    return TRUE;
}
