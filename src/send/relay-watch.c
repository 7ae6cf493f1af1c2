/* The SMTP dialogue as the relay sees it: both byte streams between
 * libesmtp and the server pass through here, so postie itself knows which
 * reply answered which command.
 *
 * Why: libesmtp 1.1.0 takes the 250 to an intermediate BDAT chunk as the
 * message's final status, and after a refused chunk it keeps sending
 * chunks (RFC 3030 says it MUST NOT).  Here a message counts as accepted
 * only by the reply to the end of DATA or to "BDAT n LAST"; after a
 * refused chunk the rest of that message is not forwarded (each chunk is
 * answered here with the refusal).  postie said EHLO and logged in
 * before libesmtp came (relay-connect.c): libesmtp's EHLO (or HELO) is
 * answered here with the server's extensions minus AUTH and STARTTLS, and
 * an AUTH from it never reaches the server.  The first command must carry
 * the random token that proves the connection is libesmtp's.
 *
 * Pure bytes in, bytes out; no I/O (relay.c does that).
 */
#include <config.h>

#include <string.h>

#include "send/private.h"

#define MAX_LINE 16384            /* a command or reply line */

typedef enum {
    EXP_HELLO, EXP_MAIL, EXP_RCPT, EXP_DATA, EXP_DATA_END, EXP_BDAT,
    EXP_BDAT_LAST, EXP_RSET, EXP_QUIT, EXP_OTHER
} ExpKind;

typedef struct {
    ExpKind kind;
    int txn;                     /* index in txns, or -1 */
    char *local;                 /* answered here with this line, or NULL */
} Exp;

typedef enum { C_CMD, C_BODY, C_CHUNK } ClientState;

struct RelayWatch {
    char *token;                 /* EHLO argument libesmtp was given */
    char *ehlo_reply;            /* the answer to libesmtp's EHLO */
    char *helo_reply;            /* and to a HELO */
    gboolean greeted;            /* the first command carried the token */
    ClientState cstate;
    GString *cline;              /* command bytes not yet a line */
    guint64 chunk_left;
    gboolean chunk_forward;      /* FALSE: the chunk is dropped here */
    int body_match;              /* matched part of CRLF.CRLF */
    GQueue exps;                 /* Exp*, in command order */
    GPtrArray *txns;             /* RelayTxn* */
    int cur;                     /* transaction after MAIL, or -1 */
    GString *sline;              /* reply bytes not yet a line */
    GString *to_server;
    GString *to_client;
    char *error;
    RelayFinal on_final;
    gpointer final_data;
    gboolean dead;               /* the server is gone: answered here */
};

#define LOST_REPLY "421 4.4.2 postie relay: no connection to the server any more\r\n"
#define BYE_REPLY "221 2.0.0 postie relay: closing\r\n"
#define AUTH_REPLY "503 5.5.1 postie relay: already logged in\r\n"

static void
exp_free(gpointer p)
{
    Exp *e = p;
    g_free(e->local);
    g_free(e);
}

static void
txn_free(gpointer p)
{
    RelayTxn *t = p;
    g_free(t->reverse_path);
    g_free(t->final_text);
    g_free(t);
}

/* Wipe and free: these buffers have held AUTH lines. */
static void
wipe_string(GString *s)
{
    if (!s)
        return;
    if (s->allocated_len)
        explicit_bzero(s->str, s->allocated_len);
    g_string_free(s, TRUE);
}

RelayWatch *
relay_watch_new(const char *token, const char *ehlo_reply)
{
    RelayWatch *w = g_new0(RelayWatch, 1);
    w->token = g_strdup(token);
    w->ehlo_reply = g_strdup(ehlo_reply);
    /* HELO gets the greeting line alone. */
    const char *eol = strstr(ehlo_reply, "\r\n");
    w->helo_reply = g_strdup_printf("250 %.*s\r\n",
                                    eol && eol - ehlo_reply > 4 ? (int)(eol - ehlo_reply - 4) : 0,
                                    ehlo_reply + (eol && eol - ehlo_reply > 4 ? 4 : 0));
    w->cline = g_string_new(NULL);
    w->sline = g_string_new(NULL);
    w->to_server = g_string_new(NULL);
    w->to_client = g_string_new(NULL);
    w->txns = g_ptr_array_new_with_free_func(txn_free);
    w->cur = -1;
    g_queue_init(&w->exps);
    return w;
}

void
relay_watch_free(RelayWatch *w)
{
    if (!w)
        return;
    g_free(w->token);
    g_free(w->ehlo_reply);
    g_free(w->helo_reply);
    wipe_string(w->cline);
    wipe_string(w->sline);
    wipe_string(w->to_server);
    wipe_string(w->to_client);
    g_queue_clear_full(&w->exps, exp_free);
    g_ptr_array_unref(w->txns);
    g_free(w->error);
    g_free(w);
}

void
relay_watch_set_final_cb(RelayWatch *w, RelayFinal cb, gpointer data)
{
    w->on_final = cb;
    w->final_data = data;
}

GString *relay_watch_to_server(RelayWatch *w) { return w->to_server; }
GString *relay_watch_to_client(RelayWatch *w) { return w->to_client; }
const char *relay_watch_error(const RelayWatch *w) { return w->error; }
gboolean relay_watch_greeted(const RelayWatch *w) { return w->greeted; }
GPtrArray *relay_watch_txns(RelayWatch *w) { return w->txns; }

gboolean
relay_watch_waiting(const RelayWatch *w)
{
    for (GList *l = w->exps.head; l; l = l->next)
        if (!((Exp *)l->data)->local)
            return TRUE;
    return FALSE;
}

static gboolean
set_error(RelayWatch *w, const char *msg)
{
    if (!w->error)
        w->error = g_strdup(msg);
    return FALSE;
}

static const char *
lost_reply(ExpKind kind)
{
    return kind == EXP_QUIT ? BYE_REPLY : LOST_REPLY;
}

static void
expect(RelayWatch *w, ExpKind kind, const char *local)
{
    Exp *e = g_new0(Exp, 1);
    e->kind = kind;
    e->txn = w->cur;
    e->local = g_strdup(local ? local : w->dead ? lost_reply(kind) : NULL);
    g_queue_push_tail(&w->exps, e);
}

static RelayTxn *
cur_txn(RelayWatch *w)
{
    return w->cur >= 0 ? w->txns->pdata[w->cur] : NULL;
}

/* Answers made here go out once every reply before them has. */
static void
flush_local(RelayWatch *w)
{
    Exp *e;
    while ((e = g_queue_peek_head(&w->exps)) && e->local) {
        g_string_append(w->to_client, e->local);
        exp_free(g_queue_pop_head(&w->exps));
    }
}

/* "<addr>" of "MAIL FROM:<addr> ..." */
static char *
path_of(const char *args)
{
    const char *lt = strchr(args, '<');
    const char *gt = lt ? strchr(lt, '>') : NULL;
    return gt ? g_strndup(lt + 1, (gsize)(gt - lt - 1)) : g_strdup(args);
}

static gboolean
verb_is(const char *line, gsize n, const char *verb)
{
    gsize v = strlen(verb);
    return n >= v && !g_ascii_strncasecmp(line, verb, v) &&
           (n == v || line[v] == ' ' || line[v] == ':');
}

/* One complete command line from libesmtp (LINE without CRLF). */
static gboolean
client_command(RelayWatch *w, const char *line, gsize n)
{
    gboolean hello = verb_is(line, n, "EHLO") || verb_is(line, n, "HELO");
    if (!w->greeted) {
        if (!hello || n != 5 + strlen(w->token) || strcmp(line + 5, w->token) != 0)
            return set_error(w, "not our client");
        w->greeted = TRUE;
    }
    if (hello) {
        /* The server has had postie's EHLO: answered here. */
        expect(w, EXP_HELLO, verb_is(line, n, "EHLO") ? w->ehlo_reply : w->helo_reply);
        flush_local(w);
        return TRUE;
    }
    if (verb_is(line, n, "STARTTLS"))
        return set_error(w, "STARTTLS inside the relay");
    if (verb_is(line, n, "AUTH")) {
        /* postie logged in already; no secret of libesmtp's goes on. */
        expect(w, EXP_OTHER, AUTH_REPLY);
        flush_local(w);
        return TRUE;
    }

    RelayTxn *t = cur_txn(w);
    if (verb_is(line, n, "BDAT")) {
        const char *p = line + 4;
        while (*p == ' ')
            p++;
        char *end = NULL;
        guint64 size = g_ascii_strtoull(p, &end, 10);
        if (end == p || !t)
            return set_error(w, "BDAT outside a transaction");
        while (*end == ' ')
            end++;
        gboolean last = !g_ascii_strcasecmp(end, "LAST");
        if (!last && *end)
            return set_error(w, "malformed BDAT");
        w->chunk_left = size;
        w->chunk_forward = !t->failed;
        if (t->failed) {
            /* The server already refused this message: keep the rest of
             * it here (RFC 3030 4.1) and answer like the server did. */
            g_autofree char *ans = g_strdup_printf(
                "%d postie relay: not sent on, the server refused an earlier "
                "chunk\r\n", t->final_code >= 400 ? t->final_code : 554);
            expect(w, last ? EXP_BDAT_LAST : EXP_BDAT, ans);
        } else {
            g_string_append_printf(w->to_server, "%.*s\r\n", (int)n, line);
            expect(w, last ? EXP_BDAT_LAST : EXP_BDAT, NULL);
        }
        w->cstate = size > 0 ? C_CHUNK : C_CMD;
        flush_local(w);
        return TRUE;
    }

    g_string_append_printf(w->to_server, "%.*s\r\n", (int)n, line);
    if (verb_is(line, n, "MAIL")) {
        RelayTxn *nt = g_new0(RelayTxn, 1);
        nt->reverse_path = path_of(line + 4);
        g_ptr_array_add(w->txns, nt);
        w->cur = (int)w->txns->len - 1;
        expect(w, EXP_MAIL, NULL);
    } else if (verb_is(line, n, "RCPT")) {
        if (t)
            t->rcpts++;
        expect(w, EXP_RCPT, NULL);
    } else if (verb_is(line, n, "DATA")) {
        expect(w, EXP_DATA, NULL);
    } else if (verb_is(line, n, "RSET")) {
        w->cur = -1;
        expect(w, EXP_RSET, NULL);
    } else if (verb_is(line, n, "QUIT")) {
        expect(w, EXP_QUIT, NULL);
    } else {
        expect(w, EXP_OTHER, NULL);
    }
    flush_local(w);
    return TRUE;
}

void
relay_watch_upstream_lost(RelayWatch *w)
{
    if (w->dead)
        return;
    w->dead = TRUE;
    for (GList *l = w->exps.head; l; l = l->next) {
        Exp *e = l->data;
        if (!e->local)
            e->local = g_strdup(lost_reply(e->kind));
    }
    g_string_truncate(w->sline, 0);
    flush_local(w);
}

gboolean
relay_watch_client(RelayWatch *w, const char *buf, gsize n)
{
    static const char end_mark[] = "\r\n.\r\n";
    gsize i = 0;
    while (i < n) {
        if (w->cstate == C_CHUNK) {
            gsize k = (gsize)MIN((guint64)(n - i), w->chunk_left);
            if (w->chunk_forward)
                g_string_append_len(w->to_server, buf + i, (gssize)k);
            w->chunk_left -= k;
            i += k;
            if (w->chunk_left == 0)
                w->cstate = C_CMD;
            continue;
        }
        if (w->cstate == C_BODY) {
            gsize start = i;
            while (i < n && w->body_match < 5) {
                char b = buf[i++];
                if (b == end_mark[w->body_match])
                    w->body_match++;
                else
                    w->body_match = b == '\r' ? 1 : 0;
            }
            g_string_append_len(w->to_server, buf + start, (gssize)(i - start));
            if (w->body_match == 5) {
                w->cstate = C_CMD;
                expect(w, EXP_DATA_END, NULL);
            }
            continue;
        }
        const char *nl = memchr(buf + i, '\n', n - i);
        gsize k = nl ? (gsize)(nl - (buf + i)) + 1 : n - i;
        g_string_append_len(w->cline, buf + i, (gssize)k);
        i += k;
        if (w->cline->len > MAX_LINE)
            return set_error(w, "command line too long");
        if (!nl)
            continue;
        gsize len = w->cline->len - 1;
        if (len > 0 && w->cline->str[len - 1] == '\r')
            len--;
        w->cline->str[len] = '\0';
        gboolean ok = client_command(w, w->cline->str, len);
        explicit_bzero(w->cline->str, w->cline->len);
        g_string_truncate(w->cline, 0);
        if (!ok)
            return FALSE;
    }
    if (w->dead) {
        /* Nothing goes to a server that is gone. */
        explicit_bzero(w->to_server->str, w->to_server->len);
        g_string_truncate(w->to_server, 0);
    }
    return TRUE;
}

/* One complete reply line from the server (without CRLF). */
static gboolean
server_line(RelayWatch *w, const char *line, gsize n)
{
    if (n < 3 || !g_ascii_isdigit(line[0]) || !g_ascii_isdigit(line[1]) ||
        !g_ascii_isdigit(line[2]) || (n > 3 && line[3] != ' ' && line[3] != '-'))
        return set_error(w, "malformed reply");
    int code = (int)g_ascii_strtoll(line, NULL, 10);
    gboolean last = n == 3 || line[3] == ' ';
    Exp *e = g_queue_peek_head(&w->exps);

    g_string_append_len(w->to_client, line, (gssize)n);
    g_string_append(w->to_client, "\r\n");
    if (!last || !e)
        return TRUE;   /* an unasked reply (421 closing): libesmtp's to judge */

    RelayTxn *t = e->txn >= 0 ? w->txns->pdata[e->txn] : NULL;
    gboolean good = code >= 200 && code < 300;
    switch (e->kind) {
    case EXP_MAIL:
        if (t)
            t->mail_code = code;
        break;
    case EXP_RCPT:
        if (t && good)
            t->rcpts_accepted++;
        break;
    case EXP_DATA:
        if (code == 354) {
            w->cstate = C_BODY;
            w->body_match = 2;   /* the body starts at a line start */
        } else if (t && !t->final_code) {
            t->final_code = code;
            t->final_text = g_strndup(line, n);
        }
        break;
    case EXP_BDAT:
        if (t && !good && !t->failed) {
            t->failed = TRUE;
            t->final_code = code;
            t->final_text = g_strndup(line, n);
        }
        break;
    case EXP_DATA_END:
    case EXP_BDAT_LAST:
        if (t && !t->failed && !t->final_code) {
            t->final_code = code;
            t->final_text = g_strndup(line, n);
            t->final_seen = TRUE;
            if (w->on_final)
                w->on_final((guint)e->txn, t, w->final_data);
        }
        if (t)
            t->failed = TRUE;   /* nothing later changes this message */
        break;
    default:
        break;
    }
    exp_free(g_queue_pop_head(&w->exps));
    flush_local(w);
    return TRUE;
}

gboolean
relay_watch_server(RelayWatch *w, const char *buf, gsize n)
{
    gsize i = 0;
    while (i < n) {
        const char *nl = memchr(buf + i, '\n', n - i);
        gsize k = nl ? (gsize)(nl - (buf + i)) + 1 : n - i;
        g_string_append_len(w->sline, buf + i, (gssize)k);
        i += k;
        if (w->sline->len > MAX_LINE)
            return set_error(w, "reply line too long");
        if (!nl)
            continue;
        gsize len = w->sline->len - 1;
        if (len > 0 && w->sline->str[len - 1] == '\r')
            len--;
        w->sline->str[len] = '\0';
        gboolean ok = server_line(w, w->sline->str, len);
        g_string_truncate(w->sline, 0);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}
