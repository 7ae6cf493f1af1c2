/* RETR, TOP and DELE for many messages.  With PIPELINING (RFC 2449) up to
 * s->window commands are outstanding, refilled as replies come, and sent
 * in batches so thousands of messages do not cost a round trip each. */
#include <config.h>

#include <string.h>

#include "pop3/private.h"
#include "util/util.h"

typedef enum { OP_RETR, OP_TOP, OP_DELE } Op;

typedef struct {
    Op op;
    guint lines;                 /* TOP */
    Pop3MessageFunc func;
    gpointer data;
    Pop3MessageFunc part;        /* NULL: whole messages only */
} Run;

/* One message being read: where its pieces go. */
typedef struct {
    const Run *run;
    guint num;
    gboolean deliver;            /* FALSE: read and thrown away */
    GError **stop_error;
} Piece;

static void
set_stop(GError **stop_error, GError *e, guint num)
{
    if (!e)
        g_set_error(&e, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("message %u was not accepted"), num);
    if (stop_error && !*stop_error)
        g_propagate_error(stop_error, e);
    else
        g_error_free(e);
}

static void
on_piece(const char *data, gsize len, gpointer user_data)
{
    Piece *p = user_data;
    if (!p->deliver || !p->run->part)
        return;                  /* thrown away: memory stays bounded */
    GError *e = NULL;
    if (!p->run->part(p->num, data, len, p->run->data, &e)) {
        set_stop(p->stop_error, e, p->num);
        p->deliver = FALSE;
    }
}

static const char *
op_name(Op op)
{
    return op == OP_RETR ? "RETR" : op == OP_TOP ? "TOP" : "DELE";
}

static void
append_cmd(GString *out, const Run *run, guint num)
{
    switch (run->op) {
    case OP_RETR:
        g_string_append_printf(out, "RETR %u\r\n", num);
        break;
    case OP_TOP:
        g_string_append_printf(out, "TOP %u %u\r\n", num, run->lines);
        break;
    case OP_DELE:
        g_string_append_printf(out, "DELE %u\r\n", num);
        break;
    }
}

/* Read the reply to one command.  *STOP_ERROR receives a per-message
 * refusal (session usable); a FALSE return means the session broke. */
static gboolean
read_one(Pop3Session *s, const Run *run, guint num, gboolean deliver,
         GError **stop_error, GError **error)
{
    Pop3Reply r;
    if (!pop3_read_reply(s, &r, error)) {
        if (run->op != OP_DELE)
            g_prefix_error(error, _("while receiving message %u: "), num);
        return FALSE;
    }
    if (r.kind == POP3_REPLY_BAD || r.kind == POP3_REPLY_CONTINUE) {
        g_autofree char *what = g_strdup_printf("%s %u", op_name(run->op), num);
        pop3_garbage_error(s, what, error);
        return FALSE;
    }
    if (r.kind == POP3_REPLY_ERR) {
        if (stop_error && !*stop_error) {
            g_autofree char *what = g_strdup_printf("%s %u", op_name(run->op), num);
            int code = run->op == OP_TOP ? POSTIE_ERROR_UNSUPPORTED
                     : pop3_error_code_for(r.code, FALSE);
            g_set_error(stop_error, POSTIE_ERROR, code,
                        _("%s: %s failed (server said: %s)"), s->host, what,
                        pop3_last_server_text(s));
        }
        return TRUE;
    }
    if (run->op == OP_DELE) {
        s->n_deleted++;
        return TRUE;
    }
    /* Pieces while it comes when the caller takes them, and always when
     * the message is thrown away. */
    Piece piece = { run, num, deliver, stop_error };
    gboolean pieces = run->part || !deliver;
    if (!pop3_read_multiline_parts(s, POP3_MAX_MESSAGE_LINE, 0,
                                   pieces ? on_piece : NULL, &piece, error)) {
        g_prefix_error(error, _("while receiving message %u: "), num);
        return FALSE;
    }
    if (!piece.deliver)
        return TRUE;
    GError *e = NULL;
    if (!run->func(num, s->msg->str, s->msg->len, run->data, &e))
        set_stop(stop_error, e, num);
    return TRUE;
}

static gboolean
run_many(Pop3Session *s, const Run *run, const guint *nums, guint n,
         guint *n_done, GError **error)
{
    if (n_done)
        *n_done = 0;
    if (!pop3_check_usable(s, error))
        return FALSE;
    guint window = (s->caps & POP3_CAP_PIPELINING) ? MAX(s->window, 1) : 1;
    g_autoptr(GString) out = g_string_new(NULL);
    GError *stop = NULL;          /* first refusal: send no more */
    guint sent = 0, done = 0, ok = 0;

    while (done < n) {
        /* Refill when half the window is free, so writes go in batches. */
        if (!stop && sent < n && (sent == done || sent - done <= window / 2)) {
            g_string_truncate(out, 0);
            while (sent < n && sent - done < window)
                append_cmd(out, run, nums[sent++]);
            GError *e = NULL;
            if (!net_conn_write(s->conn, out->str, out->len, &e)) {
                s->broken = TRUE;
                g_propagate_error(error, e);
                g_clear_error(&stop);
                return FALSE;
            }
        }
        if (done == sent)
            break;                  /* stopped with nothing outstanding */
        if (g_cancellable_is_cancelled(s->cancellable)) {
            /* Replies are still on their way: the session is out of step. */
            s->broken = TRUE;
            g_clear_error(&stop);
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CANCELLED,
                        _("%s: cancelled"), s->host);
            return FALSE;
        }
        if (!read_one(s, run, nums[done], stop == NULL, &stop, error)) {
            g_clear_error(&stop);
            return FALSE;
        }
        if (!stop)
            ok++;
        done++;
    }
    if (n_done)
        *n_done = ok;
    if (stop) {
        g_propagate_error(error, stop);
        return FALSE;
    }
    return TRUE;
}

gboolean
pop3_retr_many(Pop3Session *s, const guint *nums, guint n,
               Pop3MessageFunc func, gpointer user_data, GError **error)
{
    Run run = { OP_RETR, 0, func, user_data, NULL };
    return run_many(s, &run, nums, n, NULL, error);
}

gboolean
pop3_retr_many_parts(Pop3Session *s, const guint *nums, guint n,
                     Pop3MessageFunc part, Pop3MessageFunc func,
                     gpointer user_data, GError **error)
{
    Run run = { OP_RETR, 0, func, user_data, part };
    return run_many(s, &run, nums, n, NULL, error);
}

gboolean
pop3_top_many_parts(Pop3Session *s, const guint *nums, guint n, guint lines,
                    Pop3MessageFunc part, Pop3MessageFunc func,
                    gpointer user_data, GError **error)
{
    Run run = { OP_TOP, lines, func, user_data, part };
    return run_many(s, &run, nums, n, NULL, error);
}

gboolean
pop3_top_many(Pop3Session *s, const guint *nums, guint n, guint lines,
              Pop3MessageFunc func, gpointer user_data, GError **error)
{
    Run run = { OP_TOP, lines, func, user_data, NULL };
    return run_many(s, &run, nums, n, NULL, error);
}

gboolean
pop3_dele_many(Pop3Session *s, const guint *nums, guint n, guint *n_done,
               GError **error)
{
    Run run = { OP_DELE, 0, NULL, NULL, NULL };
    return run_many(s, &run, nums, n, n_done, error);
}

static gboolean
keep_bytes(guint num, const char *data, gsize len, gpointer user_data,
           GError **error)
{
    *(GBytes **) user_data = g_bytes_new(data, len);
    return TRUE;
}

gboolean
pop3_retr(Pop3Session *s, guint num, GBytes **out, GError **error)
{
    *out = NULL;
    return pop3_retr_many(s, &num, 1, keep_bytes, out, error);
}
