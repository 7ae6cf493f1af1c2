/* SMTP replies read by postie itself (RFC 5321 4.2): the greeting, EHLO,
 * STARTTLS, AUTH and QUIT before libesmtp takes over, and the setup's
 * check.  Outside input: every reply is bounded (lines, bytes), and a
 * malformed one is an error that names the server.  The EHLO helpers
 * read its keywords and build the reply the relay gives libesmtp.
 */
#include <config.h>

#include <string.h>

#include "net/net.h"
#include "send/private.h"
#include "util/util.h"

#define REPLY_MAX_LINE 4096       /* one line, as net_conn_read_line() */
#define REPLY_MAX_LINES 1000
#define REPLY_MAX_BYTES (64 * 1024)

void
smtp_reply_clear(SmtpReply *r)
{
    if (r->lines)
        g_ptr_array_unref(r->lines);
    *r = (SmtpReply){ 0 };
}

int
smtp_reply_add_line(SmtpReply *r, const char *line, gsize n, const char *host,
                    GError **error)
{
    if (!r->lines || r->complete) {   /* a new reply */
        smtp_reply_clear(r);
        r->lines = g_ptr_array_new_with_free_func(g_free);
    }
    if (n < 3 || !g_ascii_isdigit(line[0]) || !g_ascii_isdigit(line[1]) ||
        !g_ascii_isdigit(line[2]) || (n > 3 && line[3] != ' ' && line[3] != '-') ||
        n > REPLY_MAX_LINE) {
        g_autofree char *safe = term_safe(line, (gssize)MIN(n, 200), TERM_SAFE_DEFAULT);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s sent a malformed SMTP reply: %s"), host, safe);
        return -1;
    }
    r->bytes += n;
    if (r->lines->len >= REPLY_MAX_LINES || r->bytes > REPLY_MAX_BYTES) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("%s sent an endless SMTP reply"), host);
        return -1;
    }
    g_ptr_array_add(r->lines, g_strndup(n > 4 ? line + 4 : "", n > 4 ? n - 4 : 0));
    if (n > 3 && line[3] == '-')
        return 0;
    r->code = (int)g_ascii_strtoll(line, NULL, 10);
    r->complete = TRUE;
    return 1;
}

gboolean
smtp_reply_read(NetConn *conn, SmtpReply *r, GError **error)
{
    smtp_reply_clear(r);
    for (;;) {
        gsize n = 0;
        const char *l = net_conn_read_line(conn, REPLY_MAX_LINE, &n, error);
        if (!l)
            return FALSE;
        int k = smtp_reply_add_line(r, l, n, net_conn_host(conn), error);
        if (k < 0)
            return FALSE;
        if (k > 0)
            return TRUE;
    }
}

const char *
smtp_reply_last(const SmtpReply *r)
{
    return r->lines && r->lines->len ? r->lines->pdata[r->lines->len - 1] : "";
}

char *
smtp_reply_text(const SmtpReply *r)
{
    g_autofree char *t = g_strdup_printf("%03d %s", r->code, smtp_reply_last(r));
    g_strchomp(t);
    return term_safe(t, -1, TERM_SAFE_DEFAULT);
}

gboolean
smtp_command(NetConn *conn, const char *line, SmtpReply *reply, GError **error)
{
    /* LINE may hold a secret: the copy is wiped. */
    char *l = g_strconcat(line, "\r\n", NULL);
    gboolean ok = net_conn_write(conn, l, strlen(l), error);
    secret_free(l);
    return ok && smtp_reply_read(conn, reply, error);
}

/* The keyword of an EHLO line (after the first, which greets) if it is
 * KW: its parameters (after the blank or "="), else NULL. */
static const char *
ehlo_keyword(const char *line, const char *kw)
{
    gsize k = strlen(kw);
    if (g_ascii_strncasecmp(line, kw, k) != 0)
        return NULL;
    if (line[k] == '\0')
        return line + k;
    /* "AUTH=PLAIN LOGIN": what old Microsoft servers send as well. */
    return line[k] == ' ' || line[k] == '=' ? line + k + 1 : NULL;
}

gboolean
smtp_ehlo_has(const SmtpReply *ehlo, const char *kw)
{
    for (guint i = 1; ehlo->lines && i < ehlo->lines->len; i++)
        if (ehlo_keyword(ehlo->lines->pdata[i], kw))
            return TRUE;
    return FALSE;
}

char *
smtp_ehlo_auth(const SmtpReply *ehlo)
{
    GString *all = NULL;
    for (guint i = 1; ehlo->lines && i < ehlo->lines->len; i++) {
        const char *m = ehlo_keyword(ehlo->lines->pdata[i], "AUTH");
        if (!m)
            continue;
        if (!all)
            all = g_string_new(NULL);
        g_string_append_printf(all, "%s%s", all->len ? " " : "", m);
    }
    return all ? g_string_free(all, FALSE) : NULL;
}

char *
smtp_ehlo_for_client(const SmtpReply *ehlo)
{
    /* libesmtp gets the server's extensions without AUTH (postie has
     * logged in already) and without STARTTLS (postie did TLS). */
    GPtrArray *keep = g_ptr_array_new();
    for (guint i = 0; ehlo->lines && i < ehlo->lines->len; i++) {
        const char *l = ehlo->lines->pdata[i];
        if (i > 0 && (ehlo_keyword(l, "AUTH") || ehlo_keyword(l, "STARTTLS")))
            continue;
        g_ptr_array_add(keep, (gpointer)l);
    }
    GString *out = g_string_new(NULL);
    if (keep->len == 0)
        g_string_append(out, "250 postie relay\r\n");
    for (guint i = 0; i < keep->len; i++)
        g_string_append_printf(out, "250%c%s\r\n", i + 1 < keep->len ? '-' : ' ',
                               (const char *)keep->pdata[i]);
    g_ptr_array_unref(keep);
    return g_string_free(out, FALSE);
}
