/* The bytes handed to the store for one fetched message. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"
#include "store/store.h"
#include "util/util.h"

static gboolean
field_is(const char *line, gsize len, const char *name)
{
    gsize n = strlen(name);
    if (len <= n || g_ascii_strncasecmp(line, name, n) != 0)
        return FALSE;
    gsize k = n;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
    return k < len && line[k] == ':';
}

/* Fields the store rewrites (flags) or drops (Content-Length): a sender
 * must not mark his message read, flagged or deleted. */
static gboolean
is_store_field(const char *line, gsize len)
{
    return store_is_flag_header(line, len) || field_is(line, len, "Content-Length");
}

/* One whole line of the original (without its '\n'). */
static void
prep_line(MessagePrep *p, const char *line, gsize llen, GString *out)
{
    if (llen > 0 && line[llen - 1] == '\r')
        llen--;
    if (p->in_headers) {
        if (llen == 0) {
            p->in_headers = FALSE;
        } else if (line[0] == ' ' || line[0] == '\t') {
            if (p->skipping)
                return;          /* continuation of a dropped field */
        } else {
            p->skipping = field_is(line, llen, "X-Postie-UIDL") ||
                          is_store_field(line, llen);
            if (p->skipping)
                return;
        }
    }
    g_string_append_len(out, line, (gssize)llen);
    g_string_append_c(out, '\n');
}

void
message_prep_init(MessagePrep *p)
{
    p->in_headers = TRUE;
    p->skipping = FALSE;
    p->open_line = FALSE;
    p->carry = g_string_new(NULL);
}

void
message_prep_feed(MessagePrep *p, const char *data, gsize len, GString *out)
{
    gsize pos = 0;
    while (pos < len) {
        if (!p->in_headers && p->carry->len == 0) {
            /* Body lines without a CR go out as they are, all at once. */
            const char *last = memrchr(data + pos, '\n', len - pos);
            gsize upto = last ? (gsize)(last - data) + 1 : pos;
            if (upto > pos && !memchr(data + pos, '\r', upto - pos)) {
                g_string_append_len(out, data + pos, (gssize)(upto - pos));
                p->open_line = FALSE;
                pos = upto;
                if (pos == len)
                    return;
            }
        }
        const char *nl = memchr(data + pos, '\n', len - pos);
        gsize end = nl ? (gsize)(nl - data) : len;
        if (!nl && !p->in_headers) {
            /* The body goes on at once, but for a '\r' that may stand
             * before the next '\n'. */
            if (p->carry->len > 0 && end > pos) {
                g_string_append_len(out, p->carry->str, (gssize)p->carry->len);
                g_string_truncate(p->carry, 0);
            }
            gsize keep = data[end - 1] == '\r' ? 1 : 0;
            g_string_append_len(out, data + pos, (gssize)(end - pos - keep));
            g_string_append_len(p->carry, data + end - keep, (gssize)keep);
            p->open_line = TRUE;
            return;
        }
        if (!nl) {
            g_string_append_len(p->carry, data + pos, (gssize)(end - pos));
            return;
        }
        if (p->carry->len > 0) {
            g_string_append_len(p->carry, data + pos, (gssize)(end - pos));
            prep_line(p, p->carry->str, p->carry->len, out);
            g_string_truncate(p->carry, 0);
        } else {
            prep_line(p, data + pos, end - pos, out);
        }
        p->open_line = FALSE;
        pos = end + 1;
    }
}

void
message_prep_finish(MessagePrep *p, GString *out)
{
    if (p->carry->len > 0)
        prep_line(p, p->carry->str, p->carry->len, out);
    else if (p->open_line)
        g_string_append_c(out, '\n');
    g_string_free(p->carry, TRUE);
    p->carry = NULL;
}

GString *
message_prepare(const char *raw, gsize len, const char *account,
                const char *uid)
{
    GString *out = g_string_sized_new(len + 128);
    g_string_append(out, "X-Postie-UIDL: ");
    g_string_append(out, account);
    g_string_append_c(out, ' ');
    g_string_append(out, uid);
    g_string_append_c(out, '\n');
    MessagePrep p;
    message_prep_init(&p);
    message_prep_feed(&p, raw, len, out);
    message_prep_finish(&p, out);
    return out;
}

char *
message_digest_uid(const char *raw, gsize len)
{
    g_autofree char *hex = sha256_hex(raw, len);
    return g_strconcat("postie-sha256:", hex, NULL);
}

char *
message_canonical_sum(const char *data, gsize len, gboolean from_store,
                      gsize *canon_len)
{
    Sha256 *sum = sha256_new();
    gsize total = 0;

    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (!from_store) {
        sha256_update(sum, data, len);
        total = len;
    } else {
        /* Skip the store's flag fields in the header block. */
        gboolean in_headers = TRUE, skipping = FALSE;
        gsize pos = 0;
        while (pos < len) {
            const char *nl = memchr(data + pos, '\n', len - pos);
            gsize end = nl ? (gsize)(nl - data) + 1 : len;
            const char *line = data + pos;
            gsize llen = end - pos - (nl ? 1 : 0);
            gboolean keep = TRUE;
            if (in_headers) {
                if (llen == 0)
                    in_headers = FALSE;
                else if (line[0] == ' ' || line[0] == '\t')
                    keep = !skipping;
                else
                    keep = !(skipping = is_store_field(line, llen));
            }
            if (keep) {
                sha256_update(sum, line, end - pos);
                total += end - pos;
            }
            pos = end;
        }
    }
    char *hex = sha256_finish(sum);
    if (canon_len)
        *canon_len = total;
    return hex;
}

/* message_canonical_sum(FROM_STORE) of a copy read line by line: a first
 * pass finds where the trailing newlines start, the second hashes what
 * comes before, skipping the store's fields as above. */
typedef struct {
    guint64 pos;             /* bytes of the message seen */
    guint64 cut;             /* pass 2: where the trailing newlines start */
    Sha256 *sum;             /* NULL in pass 1 */
    gboolean in_headers, skipping;
    guint64 total;           /* bytes hashed */
} StoredSum;

static gboolean
stored_line(const char *line, gsize len, gpointer data, GError **error)
{
    (void)error;
    StoredSum *c = data;
    if (!c->sum) {           /* pass 1 */
        for (gsize k = len; k > 0; k--)
            if (line[k - 1] != '\n' && line[k - 1] != '\r') {
                c->cut = c->pos + k;
                break;
            }
        c->pos += len;
        return TRUE;
    }
    if (c->pos >= c->cut)
        return TRUE;
    if (len > c->cut - c->pos)
        len = (gsize)(c->cut - c->pos);
    c->pos += len;
    gboolean nl = len > 0 && line[len - 1] == '\n';
    gsize llen = len - (nl ? 1 : 0);
    gboolean keep = TRUE;
    if (c->in_headers) {
        if (llen == 0)
            c->in_headers = FALSE;
        else if (line[0] == ' ' || line[0] == '\t')
            keep = !c->skipping;
        else
            keep = !(c->skipping = is_store_field(line, llen));
    }
    if (keep) {
        sha256_update(c->sum, line, len);
        c->total += len;
    }
    return TRUE;
}

char *
message_stored_sum(StoreFolder *f, guint i, gsize *canon_len, GError **error)
{
    StoredSum c = { 0, 0, NULL, TRUE, FALSE, 0 };
    if (!store_folder_read_lines(f, i, stored_line, &c, error))
        return NULL;
    guint64 cut = c.cut;
    memset(&c, 0, sizeof c);
    c.cut = cut;
    c.in_headers = TRUE;
    c.sum = sha256_new();
    if (!store_folder_read_lines(f, i, stored_line, &c, error)) {
        sha256_free(c.sum);
        return NULL;
    }
    char *hex = sha256_finish(c.sum);
    *canon_len = (gsize)c.total;
    return hex;
}
