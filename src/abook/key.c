/* Public keys kept in a contact's vCard KEY properties (RFC 6350 6.8.1):
 * inline ones only (a data: URI, vCard 3 base64, or an armored block in
 * the text).  A key given as a URL is never fetched. */
#include <config.h>

#include <string.h>

#include "abook/abook.h"

/* Larger KEY values are not keys anyone sends around. */
#define MAX_KEY_VALUE (1u << 20)

/* The next ';'-separated piece of P (up to END), quotes respected. */
static const char *
next_piece(const char *p, const char *end)
{
    gboolean quoted = FALSE;
    for (; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ';' && !quoted)
            return p;
    }
    return end;
}

static gboolean
list_has(const char *list, gsize len, const char *word)
{
    g_autofree char *s = g_ascii_strdown(list, (gssize)len);
    g_auto(GStrv) parts = g_strsplit(s, ",", -1);
    for (char **w = parts; *w; w++) {
        g_strstrip(g_strdelimit(*w, "\"", ' '));
        if (strcmp(*w, word) == 0)
            return TRUE;
    }
    return FALSE;
}

static AbookKeyKind
kind_of_type(const char *mediatype, gsize len)
{
    g_autofree char *m = g_ascii_strdown(mediatype, (gssize)len);
    if (strstr(m, "pgp"))
        return ABOOK_KEY_PGP;
    if (strstr(m, "pkix") || strstr(m, "x509") || strstr(m, "x-509"))
        return ABOOK_KEY_X509;
    return ABOOK_KEY_NONE;
}

/* vCard text escapes (\n \, \; \\) undone. */
static GBytes *
unescape_text(const char *v, gsize len)
{
    GByteArray *out = g_byte_array_sized_new((guint)len);
    for (gsize i = 0; i < len; i++) {
        guint8 ch = (guint8)v[i];
        if (ch == '\\' && i + 1 < len) {
            char n = v[++i];
            ch = (n == 'n' || n == 'N') ? '\n' : (guint8)n;
        }
        g_byte_array_append(out, &ch, 1);
    }
    return g_byte_array_free_to_bytes(out);
}

static GBytes *
base64_bytes(const char *v, gsize len)
{
    g_autofree char *s = g_strndup(v, len);
    gsize n = 0;
    guchar *d = g_base64_decode(s, &n);   /* skips what is not base64 */
    return n > 0 ? g_bytes_new_take(d, n) : (g_free(d), NULL);
}

GBytes *
abook_key_from_line(const char *line, AbookKeyKind *kind)
{
    *kind = ABOOK_KEY_NONE;
    if (!line)
        return NULL;
    gsize total = strlen(line);
    const char *end = line + total;
    /* NAME[;PARAM...]:VALUE, the ':' outside quotes. */
    const char *colon = NULL;
    gboolean quoted = FALSE;
    for (const char *p = line; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ':' && !quoted) {
            colon = p;
            break;
        }
    }
    if (!colon)
        return NULL;
    const char *name_end = next_piece(line, colon);
    const char *name = line;
    for (const char *p = line; p < name_end; p++)   /* "item1.KEY" */
        if (*p == '.')
            name = p + 1;
    if (name_end - name != 3 || g_ascii_strncasecmp(name, "KEY", 3) != 0)
        return NULL;

    AbookKeyKind k = ABOOK_KEY_NONE;
    gboolean b64 = FALSE;
    for (const char *p = name_end; p < colon;) {
        const char *s = p + 1;
        const char *e = next_piece(s, colon);
        const char *eq = memchr(s, '=', (gsize)(e - s));
        if (eq) {
            gsize nl = (gsize)(eq - s), vl = (gsize)(e - eq - 1);
            if (nl == 4 && g_ascii_strncasecmp(s, "TYPE", 4) == 0) {
                if (list_has(eq + 1, vl, "pgp"))
                    k = ABOOK_KEY_PGP;
                else if (list_has(eq + 1, vl, "x509") || list_has(eq + 1, vl, "x-509"))
                    k = ABOOK_KEY_X509;
            } else if (nl == 9 && g_ascii_strncasecmp(s, "MEDIATYPE", 9) == 0) {
                AbookKeyKind m = kind_of_type(eq + 1, vl);
                if (m != ABOOK_KEY_NONE)
                    k = m;
            } else if (nl == 8 && g_ascii_strncasecmp(s, "ENCODING", 8) == 0) {
                b64 = list_has(eq + 1, vl, "b") || list_has(eq + 1, vl, "base64");
            }
        }
        p = e;
    }

    const char *v = colon + 1;
    gsize vlen = (gsize)(end - v);
    if (vlen == 0 || vlen > MAX_KEY_VALUE)
        return NULL;
    GBytes *data = NULL;
    if (vlen > 5 && g_ascii_strncasecmp(v, "data:", 5) == 0) {
        /* data:[MEDIATYPE][;base64],DATA (RFC 2397) */
        const char *comma = memchr(v, ',', vlen);
        if (!comma)
            return NULL;
        const char *meta = v + 5;
        gsize mlen = (gsize)(comma - meta);
        AbookKeyKind m = kind_of_type(meta, mlen);
        if (m != ABOOK_KEY_NONE)
            k = m;
        gboolean d64 = mlen >= 7 && g_ascii_strncasecmp(comma - 7, ";base64", 7) == 0;
        const char *d = comma + 1;
        gsize dlen = (gsize)(end - d);
        if (d64) {
            data = base64_bytes(d, dlen);
        } else {
            g_autofree char *s = g_strndup(d, dlen);
            data = g_uri_unescape_bytes(s, -1, NULL, NULL);
        }
    } else if (b64) {
        data = base64_bytes(v, vlen);
    } else {
        g_autofree char *s = g_strndup(v, vlen);
        if (!strstr(s, "-----BEGIN PGP PUBLIC KEY BLOCK-----"))
            return NULL;   /* a URL or something else: nothing to fetch */
        data = unescape_text(v, vlen);
        k = ABOOK_KEY_PGP;
    }
    if (!data || g_bytes_get_size(data) == 0 || k == ABOOK_KEY_NONE) {
        if (data)
            g_bytes_unref(data);
        return NULL;
    }
    *kind = k;
    return data;
}

GBytes *
abook_contact_key(const AbookContact *c, AbookKeyKind want)
{
    for (guint i = 0; c && c->extra && i < c->extra->len; i++) {
        AbookKeyKind k;
        GBytes *data = abook_key_from_line(c->extra->pdata[i], &k);
        if (data && k == want)
            return data;
        if (data)
            g_bytes_unref(data);
    }
    return NULL;
}
