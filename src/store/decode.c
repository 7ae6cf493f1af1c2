/* Raw header values -> what the index keeps: UTF-8 display text, dates.
 *
 * Most headers are plain ASCII; those take a fast path that only unfolds
 * and trims.  Anything with encoded words, quoting or 8-bit bytes goes
 * through mime/header.h (GMime's RFC 2047 and address parsers, with the
 * program's one set of options and its workarounds). */
#include <config.h>

#include <string.h>

#include "mime/header.h"
#include "store/private.h"

/* Header values longer than this are cut before decoding: the index is
 * for display, and the message itself stays intact on disk. */
#define MAX_VALUE (64 * 1024)

/* Unfold (drop CR/LF), turn tabs and NULs into spaces, squeeze runs of
 * white space, trim.  Returns a new string; *PLAIN says whether it is
 * 7-bit text without encoded words, quotes or comments. */
static char *
unfold(const char *v, gsize len, gboolean *plain, gboolean *ascii)
{
    if (len > MAX_VALUE)
        len = MAX_VALUE;
    char *out = g_malloc(len + 1);
    gsize o = 0;
    gboolean space = TRUE;
    *plain = TRUE;
    *ascii = TRUE;
    for (gsize i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c == '\t' || c == ' ' || c == '\0') {
            if (!space)
                out[o++] = ' ';
            space = TRUE;
            continue;
        }
        if (c >= 0x80)
            *plain = *ascii = FALSE;
        else if (c == '"' || c == '(' || c == '\\' ||
                 (c == '?' && i > 0 && v[i - 1] == '='))
            *plain = FALSE;
        out[o++] = (char)c;
        space = FALSE;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

static char *
intern(GStringChunk *strings, char *s)
{
    char *valid = g_utf8_make_valid(s, -1);
    char *r = g_string_chunk_insert(strings, valid);
    g_free(valid);
    g_free(s);
    return r;
}

char *
store_decode_plain(GStringChunk *strings, const char *v, gsize len)
{
    gboolean plain, ascii;
    char *s = unfold(v, len, &plain, &ascii);
    if (ascii) {
        char *r = g_string_chunk_insert(strings, s);
        g_free(s);
        return r;
    }
    return intern(strings, s);
}

/* S when it is one whole "=?UTF-8?B|Q?...?=" word (the usual way a name
 * or subject is encoded) with plain, valid UTF-8 inside: decoded here,
 * where GMime (via mime_header_decode_text) would give the same text at
 * several times the cost.  NULL for anything else, which then goes
 * through GMime. */
static char *
utf8_word(const char *s)
{
    if (s[0] != '=' || s[1] != '?' || g_ascii_strncasecmp(s + 2, "utf-8?", 6) != 0)
        return NULL;
    char enc = g_ascii_toupper(s[8]);
    if ((enc != 'B' && enc != 'Q') || s[9] != '?')
        return NULL;
    const char *text = s + 10, *t = strstr(text, "?=");
    if (!t || t[2] || t == text)
        return NULL;
    gsize tlen = (gsize)(t - text);
    char *out;
    gsize olen;
    if (enc == 'B') {
        if (tlen % 4 != 0)
            return NULL;
        for (gsize i = 0; i < tlen; i++)
            if (!g_ascii_isalnum(text[i]) && text[i] != '+' && text[i] != '/' &&
                !(text[i] == '=' && i + 2 >= tlen && text[tlen - 1] == '='))
                return NULL;
        g_autofree char *b64 = g_strndup(text, tlen);
        out = (char *)g_base64_decode(b64, &olen);
        out = g_realloc(out, olen + 1);
        out[olen] = '\0';
    } else {
        out = g_malloc(tlen + 1);
        olen = 0;
        for (gsize i = 0; i < tlen; i++) {
            char c = text[i];
            if (c == '_') {
                c = ' ';
            } else if (c == '=') {
                if (i + 2 >= tlen || !g_ascii_isxdigit(text[i + 1]) ||
                    !g_ascii_isxdigit(text[i + 2])) {
                    g_free(out);
                    return NULL;
                }
                c = (char)(g_ascii_xdigit_value(text[i + 1]) * 16 +
                           g_ascii_xdigit_value(text[i + 2]));
                i += 2;
            } else if (c <= ' ' || c == '?' || c == 0x7f) {
                g_free(out);
                return NULL;
            }
            out[olen++] = c;
        }
        out[olen] = '\0';
    }
    gboolean ok = olen > 0 && g_utf8_validate(out, (gssize)olen, NULL);
    for (gsize i = 0; ok && i < olen; i++)
        if ((guchar)out[i] < 0x20 || out[i] == 0x7f)
            ok = FALSE;
    if (!ok)
        g_clear_pointer(&out, g_free);
    return out;
}

char *
store_decode_text(GStringChunk *strings, const char *v, gsize len)
{
    gboolean plain, ascii;
    char *s = unfold(v, len, &plain, &ascii);
    (void)plain;
    if (ascii && !strstr(s, "=?")) {
        char *r = g_string_chunk_insert(strings, s);
        g_free(s);
        return r;
    }
    char *d = utf8_word(s);
    if (!d)
        d = mime_header_decode_text(s);
    g_free(s);
    return intern(strings, d);
}

/* "Name <addr>" with an optional quoted or encoded name: decoded without
 * the full address parser (and its IDN work), which is the common case. */
static char *
simple_mailbox(const char *s)
{
    const char *lt = strchr(s, '<');
    gsize len = strlen(s);
    if (!lt || strchr(lt + 1, '<') || len == 0 || s[len - 1] != '>' ||
        memchr(lt, '"', len - (gsize)(lt - s)))
        return NULL;
    const char *name = s, *ne = lt;
    while (ne > name && ne[-1] == ' ')
        ne--;
    if (ne - name >= 2 && name[0] == '"' && ne[-1] == '"') {
        name++;
        ne--;
        if (memchr(name, '"', (gsize)(ne - name)))
            return NULL;
    } else if (memchr(name, '"', (gsize)(ne - name)) || memchr(name, ',', (gsize)(ne - name))) {
        return NULL;
    }
    g_autofree char *n = g_strndup(name, (gsize)(ne - name));
    if (strstr(n, "=?")) {
        char *d = utf8_word(n);
        if (!d)
            d = mime_header_decode_text(n);
        g_free(n);
        n = d;
    }
    if (!*n)
        return g_strndup(lt + 1, len - (gsize)(lt - s) - 2);
    /* A name GMime would quote ("Doe, John", "J. Smith"): shown as
     * GMime shows it, so that the text still reads as one mailbox. */
    if (strpbrk(n, "()<>[]:;@\\,.\""))
        return NULL;
    return g_strconcat(n, " ", lt, NULL);
}

/* A list of "Name <addr>" (as simple_mailbox takes them) and bare
 * addresses, split at the commas outside quotes and angle brackets, each
 * shown as simple_mailbox shows it, joined with ", " as GMime joins them.
 * NULL when any item is something else (groups, comments, ...): those go
 * through the full parser. */
static char *
simple_mailbox_list(const char *s)
{
    GString *out = g_string_new(NULL);
    const char *item = s;
    gboolean quoted = FALSE, angle = FALSE;
    for (const char *p = s;; p++) {
        if (*p == '"' && !angle)
            quoted = !quoted;
        else if (*p == '<' && !quoted)
            angle = TRUE;
        else if (*p == '>' && !quoted)
            angle = FALSE;
        if (*p && (*p != ',' || quoted || angle))
            continue;
        while (*item == ' ')
            item++;
        gsize n = (gsize)(p - item);
        while (n > 0 && item[n - 1] == ' ')
            n--;
        if (n > 0) {
            g_autofree char *one = g_strndup(item, n);
            char *d = NULL;
            const char *lt = strchr(one, '<');
            g_autofree char *lower = g_ascii_strdown(one, -1);
            if (strstr(lower, "xn--")) {
                /* GMime shows IDNA domains in Unicode: leave them to it. */
            } else if (lt && strchr(lt, '@')) {
                d = simple_mailbox(one);
            } else if (!lt && !strpbrk(one, "\" :;>") && strchr(one, '@'))
                d = g_strdup(one);
            if (!d || !*d) {
                g_free(d);
                g_string_free(out, TRUE);
                return NULL;
            }
            if (out->len)
                g_string_append(out, ", ");
            g_string_append(out, d);
            g_free(d);
        }
        if (!*p)
            break;
        item = p + 1;
    }
    if (quoted || angle || out->len == 0) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

char *
store_decode_addresses(GStringChunk *strings, const char *v, gsize len)
{
    gboolean plain, ascii;
    char *s = unfold(v, len, &plain, &ascii);
    if (plain) {
        char *r = g_string_chunk_insert(strings, s);
        g_free(s);
        return r;
    }
    char *d = NULL;
    if (ascii && !strchr(s, '(') && !strchr(s, '\\'))
        d = strchr(s, ',') ? simple_mailbox_list(s) : simple_mailbox(s);
    if (!d)
        d = mime_address_list_display(s);
    if (!d || !*d) {
        g_free(d);
        d = mime_header_decode_text(s);
    }
    g_free(s);
    return intern(strings, d);
}

/* ---- dates ------------------------------------------------------------- */

static gint64
days_from_civil(gint64 y, int m, int d)
{
    y -= m <= 2;
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    gint64 yoe = y - era * 400;
    gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int
read_num(const char **pp, const char *end, int max_digits)
{
    const char *p = *pp;
    int v = 0, n = 0;
    while (p < end && g_ascii_isdigit(*p) && n < max_digits) {
        v = v * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n == 0)
        return -1;
    *pp = p;
    return v;
}

static const char *
skip_cfws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == ','))
        p++;
    return p;
}

/* The common RFC 5322 form, fast: [Wdy,] D Mon YYYY HH:MM[:SS] ZONE. */
static gboolean
fast_date(const char *p, const char *end, gint64 *out)
{
    static const char mon[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    p = skip_cfws(p, end);
    if (end - p >= 3 && g_ascii_isalpha(*p)) {
        while (p < end && g_ascii_isalpha(*p))
            p++;
        p = skip_cfws(p, end);
    }
    int day = read_num(&p, end, 2);
    p = skip_cfws(p, end);
    if (day < 1 || day > 31 || end - p < 3)
        return FALSE;
    int month = -1;
    for (int i = 0; i < 12; i++)
        if (g_ascii_tolower(p[0]) == mon[i * 3] && g_ascii_tolower(p[1]) == mon[i * 3 + 1] &&
            g_ascii_tolower(p[2]) == mon[i * 3 + 2])
            month = i + 1;
    if (month < 0)
        return FALSE;
    while (p < end && g_ascii_isalpha(*p))
        p++;
    p = skip_cfws(p, end);
    const char *ys = p;
    int year = read_num(&p, end, 4);
    if (year < 0)
        return FALSE;
    if (p - ys == 2)
        year += year < 50 ? 2000 : 1900;
    else if (p - ys == 3)
        year += 1900;
    p = skip_cfws(p, end);
    int hh = read_num(&p, end, 2);
    if (hh < 0 || p >= end || *p != ':')
        return FALSE;
    p++;
    int mm = read_num(&p, end, 2);
    int ss = 0;
    if (mm < 0)
        return FALSE;
    if (p < end && *p == ':') {
        p++;
        ss = read_num(&p, end, 2);
        if (ss < 0)
            return FALSE;
    }
    if (hh > 23 || mm > 59 || ss > 60)
        return FALSE;
    p = skip_cfws(p, end);
    int offset = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        int sign = *p == '-' ? -1 : 1;
        p++;
        const char *zs = p;
        int z = read_num(&p, end, 4);
        if (z < 0 || p - zs != 4)
            return FALSE;
        offset = sign * ((z / 100) * 3600 + (z % 100) * 60);
    } else if (p < end && g_ascii_isalpha(*p)) {
        static const struct { const char *n; int h; } zones[] = {
            { "UT", 0 }, { "GMT", 0 }, { "Z", 0 }, { "UTC", 0 },
            { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
            { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
        };
        const char *zs = p;
        while (p < end && g_ascii_isalpha(*p))
            p++;
        gsize zl = (gsize)(p - zs);
        for (gsize i = 0; i < G_N_ELEMENTS(zones); i++)
            if (strlen(zones[i].n) == zl && g_ascii_strncasecmp(zs, zones[i].n, zl) == 0)
                offset = zones[i].h * 3600;
    }
    *out = days_from_civil(year, month, day) * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return TRUE;
}

gint64
store_parse_date(const char *v, gsize len)
{
    if (len > 256)
        len = 256;
    gint64 t;
    if (fast_date(v, v + len, &t))
        return t;
    char *s = g_strndup(v, len);
    GDateTime *dt = mime_date_parse(s);
    g_free(s);
    if (!dt)
        return 0;
    t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return t;
}
