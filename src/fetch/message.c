/* The bytes handed to the store for one fetched message. */
#include <config.h>

#include <string.h>

#include "fetch/private.h"

static gboolean
is_uidl_field(const char *line, gsize len)
{
    static const char name[] = "x-postie-uidl";
    gsize n = sizeof(name) - 1;
    if (len <= n || g_ascii_strncasecmp(line, name, n) != 0)
        return FALSE;
    gsize k = n;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
    return k < len && line[k] == ':';
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
                skipping = is_uidl_field(line, llen);
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
