/* STAT, LIST and UIDL: what is in the mailbox, and the checks on UIDs. */
#include <config.h>

#include <string.h>

#include "pop3/private.h"
#include "util/util.h"

gboolean
pop3_stat(Pop3Session *s, guint *count, guint64 *octets, GError **error)
{
    Pop3Reply r;
    if (!pop3_simple(s, "STAT", "STAT", &r, error))
        return FALSE;
    guint c;
    guint64 o;
    if (!pop3_parse_stat(r.text, &c, &o)) {
        pop3_garbage_error(s, "STAT", error);
        return FALSE;
    }
    if (count)
        *count = c;
    if (octets)
        *octets = o;
    return TRUE;
}

/* Walk the lines of the multi-line reply in s->msg. */
typedef gboolean (*LineFunc)(Pop3Session *s, char *line, gpointer data);

static gboolean
each_line(Pop3Session *s, LineFunc f, gpointer data)
{
    char *line = s->msg->str;
    char *end = s->msg->str + s->msg->len;
    while (line < end) {
        char *nl = memchr(line, '\n', (gsize) (end - line));
        if (nl)
            *nl = '\0';
        if (strlen(line) != (gsize) ((nl ? nl : end) - line))
            return FALSE;               /* NUL byte inside */
        if (!f(s, line, data))
            return FALSE;
        if (!nl)
            break;
        line = nl + 1;
    }
    return TRUE;
}

/* Upper bound for STAT's count: a hostile server could claim 4000000000
 * messages to make us allocate arrays for them. */
#define MAX_MESSAGES 10000000u

/* Message numbers keep counting deleted messages (RFC 1939), so the
 * highest valid number is STAT's count plus the DELEs of this session. */
static guint
max_num(Pop3Session *s, guint count)
{
    return count + s->n_deleted;
}

typedef struct {
    guint count;
    GArray *sizes;
} ListData;

static gboolean
list_line(Pop3Session *s, char *line, gpointer data)
{
    ListData *d = data;
    guint num;
    guint64 size;
    if (!pop3_parse_list_line(line, &num, &size) || num > d->count)
        return FALSE;
    g_array_index(d->sizes, guint64, num - 1) = size;
    return TRUE;
}

/* A LIST or UIDL reply has one short line per message: bound the whole
 * reply by the number of messages, not by the largest message size. */
static gboolean
multiline_cmd(Pop3Session *s, const char *cmd, guint lines,
              gboolean *unsupported, GError **error)
{
    Pop3Reply r;
    if (!pop3_send(s, cmd, error) || !pop3_read_reply(s, &r, error))
        return FALSE;
    if (r.kind == POP3_REPLY_ERR && unsupported) {
        *unsupported = TRUE;
        return FALSE;
    }
    if (r.kind != POP3_REPLY_OK) {
        pop3_reply_error(s, &r, FALSE, cmd, error);
        return FALSE;
    }
    return pop3_read_multiline(s, s->max_line, ((gsize) lines + 16) * 256, error);
}

gboolean
pop3_list(Pop3Session *s, GArray **sizes, GError **error)
{
    guint count;
    if (!pop3_stat(s, &count, NULL, error))
        return FALSE;
    if (count > MAX_MESSAGES) {
        pop3_garbage_error(s, "STAT", error);
        return FALSE;
    }
    if (!multiline_cmd(s, "LIST", max_num(s, count), NULL, error))
        return FALSE;
    count = max_num(s, count);
    ListData d = { count, g_array_sized_new(FALSE, FALSE, sizeof(guint64), count) };
    g_array_set_size(d.sizes, count);
    for (guint i = 0; i < count; i++)
        g_array_index(d.sizes, guint64, i) = G_MAXUINT64;
    if (!each_line(s, list_line, &d)) {
        g_array_unref(d.sizes);
        pop3_garbage_error(s, "LIST", error);
        return FALSE;
    }
    *sizes = d.sizes;
    return TRUE;
}

typedef struct {
    guint count;
    GPtrArray *uids;
    guint8 *seen;           /* per message number: a line was read */
    guint invalid;
} UidlData;

static gboolean
uidl_line(Pop3Session *s, char *line, gpointer data)
{
    UidlData *d = data;
    guint num;
    const char *uid;
    gboolean valid;
    if (!pop3_parse_uidl_line(line, &num, &uid, &valid) || num > d->count)
        return FALSE;
    if (d->seen[num - 1]++)
        return FALSE;                   /* the same number twice */
    if (valid)
        g_ptr_array_index(d->uids, num - 1) = g_strdup(uid);
    else
        d->invalid++;
    return TRUE;
}

static gboolean
uidl_into(Pop3Session *s, guint count, GPtrArray **uids, guint *invalid,
          GError **error)
{
    gboolean unsupported = FALSE;
    if (!multiline_cmd(s, "UIDL", count, &unsupported, error)) {
        if (unsupported)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED,
                        _("%s: the server does not support UIDL (server said: %s)"),
                        s->host, pop3_last_server_text(s));
        return FALSE;
    }
    g_autofree guint8 *seen = g_malloc0(MAX(count, 1));
    UidlData d = { count, g_ptr_array_new_full(count, g_free), seen, 0 };
    g_ptr_array_set_size(d.uids, count);
    if (!each_line(s, uidl_line, &d)) {
        g_ptr_array_unref(d.uids);
        pop3_garbage_error(s, "UIDL", error);
        return FALSE;
    }
    *uids = d.uids;
    if (invalid)
        *invalid = d.invalid;
    return TRUE;
}

static void
message_free(gpointer p)
{
    Pop3Message *m = p;
    g_free(m->uid);
    g_free(m);
}

/* The Pop3Messages for numbers 1..COUNT: SIZES from LIST (NULL: not
 * known, every number exists), UIDS from UIDL (NULL: not offered; its
 * strings are moved into the messages, not copied). */
static GPtrArray *
scan_build(GArray *sizes, guint count, GPtrArray *uids)
{
    /* Find the UIDs given to more than one message (one insert per UID;
     * DUPS is usually empty, so asking it is cheap). */
    g_autoptr(GHashTable) seen = g_hash_table_new(str_hash_fast, g_str_equal);
    g_autoptr(GHashTable) dups = g_hash_table_new(str_hash_fast, g_str_equal);
    for (guint i = 0; uids && i < count; i++) {
        const char *u = g_ptr_array_index(uids, i);
        if (u && !g_hash_table_add(seen, (gpointer) u))
            g_hash_table_add(dups, (gpointer) u);
    }
    GPtrArray *out = g_ptr_array_new_full(count, message_free);
    for (guint i = 0; i < count; i++) {
        guint64 size = sizes ? g_array_index(sizes, guint64, i) : 0;
        if (size == G_MAXUINT64)
            continue;                   /* deleted in this session */
        Pop3Message *m = g_new0(Pop3Message, 1);
        m->num = i + 1;
        m->size = size;
        if (uids) {
            const char *u = g_ptr_array_index(uids, i);
            if (u) {
                m->uid_duplicate = g_hash_table_size(dups) > 0 &&
                                   g_hash_table_contains(dups, u);
                m->uid = g_steal_pointer((char **)&uids->pdata[i]);
            } else {
                m->uid_invalid = TRUE;
            }
        }
        g_ptr_array_add(out, m);
    }
    return out;
}

GPtrArray *
pop3_scan(Pop3Session *s, gboolean *has_uidl, GError **error)
{
    g_autoptr(GArray) sizes = NULL;
    if (!pop3_list(s, &sizes, error))
        return NULL;
    guint count = sizes->len;
    g_autoptr(GPtrArray) uids = NULL;
    gboolean with_uidl = TRUE;
    GError *e = NULL;
    if (!uidl_into(s, count, &uids, NULL, &e)) {
        if (!g_error_matches(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED)) {
            g_propagate_error(error, e);
            return NULL;
        }
        g_error_free(e);
        with_uidl = FALSE;
    }
    if (has_uidl)
        *has_uidl = with_uidl;
    return scan_build(sizes, count, with_uidl ? uids : NULL);
}

GPtrArray *
pop3_scan_uids(Pop3Session *s, gboolean *has_uidl, gboolean *have_sizes,
               GError **error)
{
    *have_sizes = TRUE;
    if (s->n_deleted > 0)
        return pop3_scan(s, has_uidl, error);   /* LIST tells the gaps */
    guint count;
    if (!pop3_stat(s, &count, NULL, error))
        return NULL;
    if (count > MAX_MESSAGES) {
        pop3_garbage_error(s, "STAT", error);
        return NULL;
    }
    g_autoptr(GPtrArray) uids = NULL;
    GError *e = NULL;
    if (!uidl_into(s, count, &uids, NULL, &e)) {
        if (!g_error_matches(e, POSTIE_ERROR, POSTIE_ERROR_UNSUPPORTED)) {
            g_propagate_error(error, e);
            return NULL;
        }
        g_error_free(e);
        return pop3_scan(s, has_uidl, error);
    }
    if (has_uidl)
        *has_uidl = TRUE;
    *have_sizes = FALSE;
    return scan_build(NULL, count, uids);
}

gboolean
pop3_scan_sizes(Pop3Session *s, GPtrArray *scan, GError **error)
{
    g_autoptr(GArray) sizes = NULL;
    if (!pop3_list(s, &sizes, error))
        return FALSE;
    for (guint i = 0; i < scan->len; i++) {
        Pop3Message *m = scan->pdata[i];
        guint64 size = m->num <= sizes->len
            ? g_array_index(sizes, guint64, m->num - 1) : G_MAXUINT64;
        if (size == G_MAXUINT64) {
            /* UIDL named a message LIST does not know. */
            pop3_garbage_error(s, "LIST", error);
            return FALSE;
        }
        m->size = size;
    }
    return TRUE;
}
