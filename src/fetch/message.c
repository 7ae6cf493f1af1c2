/* The bytes handed to the store for one fetched message. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"

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

/* Fields the store rewrites (flags) or drops (Content-Length). */
static gboolean
is_store_field(const char *line, gsize len)
{
    return field_is(line, len, "Status") || field_is(line, len, "X-Status") ||
           field_is(line, len, "X-Postie-Partial") ||
           field_is(line, len, "Content-Length");
}

GString *
message_prepare(const char *raw, gsize len, const char *account,
                const char *uid)
{
    GString *out = g_string_sized_new(len + 128);
    g_string_append_printf(out, "X-Postie-UIDL: %s %s\n", account, uid);

    gboolean in_headers = TRUE, skipping = FALSE;
    gsize pos = 0;
    while (pos < len) {
        const char *nl = memchr(raw + pos, '\n', len - pos);
        gsize end = nl ? (gsize)(nl - raw) : len;
        gsize llen = end - pos;
        if (llen > 0 && raw[end - 1] == '\r')
            llen--;
        const char *line = raw + pos;
        pos = nl ? end + 1 : len;

        if (in_headers) {
            if (llen == 0) {
                in_headers = FALSE;
            } else if (line[0] == ' ' || line[0] == '\t') {
                if (skipping)
                    continue;    /* continuation of a dropped field */
            } else {
                skipping = field_is(line, llen, "X-Postie-UIDL") ||
                           is_store_field(line, llen);
                if (skipping)
                    continue;
            }
        }
        g_string_append_len(out, line, (gssize)llen);
        g_string_append_c(out, '\n');
    }
    return out;
}

char *
message_digest_uid(const char *raw, gsize len)
{
    g_autofree char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                                       (const guchar *)raw, len);
    return g_strconcat("postie-sha256:", hex, NULL);
}

char *
message_canonical_sum(const char *data, gsize len, gboolean from_store,
                      gsize *canon_len)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    gsize total = 0;

    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (!from_store) {
        g_checksum_update(sum, (const guchar *)data, (gssize)len);
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
                g_checksum_update(sum, (const guchar *)line, (gssize)(end - pos));
                total += end - pos;
            }
            pos = end;
        }
    }
    char *hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    if (canon_len)
        *canon_len = total;
    return hex;
}
