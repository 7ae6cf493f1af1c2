/* ~b ~B ~h over a whole folder, fast: the folder's bytes are mapped and
 * searched once for the needle (Horspool, ASCII case folded), and each
 * hit is charged to the message holding it.  Only the messages whose
 * decoded text could differ from their bytes are handed to GMime:
 *
 *   - a single-part text/plain message in 7bit/8bit, an ASCII-compatible
 *     charset and not format=flowed reads as it is stored, so a hit in
 *     its body bytes is the answer and no hit means no match;
 *   - a message with a text part in base64 or quoted-printable, in HTML,
 *     format=flowed, or (for a needle beyond ASCII) in another charset is
 *     decoded whatever its bytes hold;
 *   - any other message (multipart with plain text parts) is decoded only
 *     when its body bytes hold the needle, to confirm it is in the text
 *     and not in an attachment.
 *
 * So a search costs about one pass over the bytes plus the decoding of
 * the few messages that need it (bench/search/run.sh compares it with
 * grep -c). */
#include <config.h>

#include <string.h>

#include "mime/mime.h"
#include "search/private.h"
#include "util/util.h"

const char *
bodyscan_find(const char *hay, gsize hay_len, const char *needle, gsize len,
              gboolean icase)
{
    if (len == 0)
        return hay;
    if (len > hay_len)
        return NULL;
    if (!icase)
        return memmem(hay, hay_len, needle, len);
    /* Horspool on ASCII-folded bytes: the last byte of the window first. */
    gsize skip[256];
    for (int c = 0; c < 256; c++)
        skip[c] = len;
    for (gsize k = 0; k + 1 < len; k++) {
        guchar c = (guchar)needle[k];
        skip[c] = len - 1 - k;
        skip[(guchar)g_ascii_toupper((char)c)] = len - 1 - k;
    }
    guchar last = (guchar)needle[len - 1];
    guchar last_up = (guchar)g_ascii_toupper((char)last);
    const guchar *h = (const guchar *)hay;
    gsize pos = 0;
    while (pos + len <= hay_len) {
        guchar c = h[pos + len - 1];
        if (c == last || c == last_up) {
            gsize k = 0;
            while (k + 1 < len &&
                   g_ascii_tolower((char)h[pos + k]) == needle[k])
                k++;
            if (k + 1 == len)
                return hay + pos;
        }
        pos += skip[c];
    }
    return NULL;
}

/* ---- a message's bytes ------------------------------------------------- */

typedef struct {
    const char *start;        /* after the From_ line */
    const char *header_end;   /* the blank line ending the header */
    const char *end;
} Msg;

static const char *
find_header_end(const char *s, const char *end)
{
    for (const char *p = s; p < end; ) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        if (!nl)
            return end;
        if (nl == p || (nl == p + 1 && *p == '\r'))
            return p;
        p = nl + 1;
    }
    return end;
}

/* The value of header NAME (lower case, with the colon) in [H, END), up
 * to 255 bytes, lower-cased, folding lines joined; "" if absent. */
static void
header_value(const char *h, const char *end, const char *name, char out[256])
{
    gsize n = strlen(name), o = 0;
    out[0] = '\0';
    for (const char *p = h; p < end; ) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *le = nl ? nl : end;
        if ((gsize)(le - p) >= n && !g_ascii_strncasecmp(p, name, n)) {
            const char *v = p + n;
            for (;;) {
                for (; v < le && o < 255; v++)
                    if (*v != '\r')
                        out[o++] = g_ascii_tolower(*v);
                if (!nl || nl + 1 >= end || (nl[1] != ' ' && nl[1] != '\t'))
                    break;
                v = nl + 1;
                nl = memchr(v, '\n', (gsize)(end - v));
                le = nl ? nl : end;
            }
            out[o] = '\0';
            return;
        }
        p = nl ? nl + 1 : end;
    }
}

static gboolean
charset_is_utf8_compatible(const char *ct)
{
    const char *cs = strstr(ct, "charset=");
    if (!cs)
        return TRUE;
    cs += 8;
    if (*cs == '"')
        cs++;
    return !strncmp(cs, "utf-8", 5) || !strncmp(cs, "us-ascii", 8) ||
           !strncmp(cs, "utf8", 4);
}

/* Charsets that write ASCII as something else. */
static gboolean
charset_hides_ascii(const char *ct)
{
    return strstr(ct, "utf-16") || strstr(ct, "utf-32") || strstr(ct, "utf-7") ||
           strstr(ct, "ucs-2") || strstr(ct, "ucs2");
}

static gboolean
cte_encoded(const char *cte)
{
    return strstr(cte, "base64") || strstr(cte, "quoted-printable");
}

typedef enum { BODY_NONE, BODY_AS_STORED, BODY_ENCODED, BODY_MIXED } BodyKind;

/* What the top-level header says about the body text. */
static BodyKind
body_kind(const Msg *m, gboolean ascii_needle)
{
    char ct[256], cte[256];
    header_value(m->start, m->header_end, "content-type:", ct);
    header_value(m->start, m->header_end, "content-transfer-encoding:", cte);
    const char *t = ct;
    while (*t == ' ' || *t == '\t')
        t++;
    if (!strncmp(t, "multipart/", 10) || !strncmp(t, "message/", 8))
        return BODY_MIXED;
    if (*t && strncmp(t, "text/", 5))
        return BODY_NONE;    /* one attachment, no text */
    if (*t && strncmp(t, "text/plain", 10))
        return BODY_ENCODED; /* HTML and the like: converted */
    if (cte_encoded(cte) || strstr(t, "format=flowed") || charset_hides_ascii(t) ||
        (!ascii_needle && !charset_is_utf8_compatible(t)))
        return BODY_ENCODED;
    return BODY_AS_STORED;
}

/* For a multipart message: does some text part need decoding to be read
 * (base64, quoted-printable, HTML, flowed, or a charset hiding the
 * needle)?  Looks at every part header: the lines around each
 * "Content-" line after the top-level header, up to blank lines.  With
 * NEEDLE, *IN_PLAIN says whether it is in the body of a text/plain part
 * stored as it reads (up to the next line starting with "--"). */
static gboolean
parts_need_decoding(const Msg *m, gboolean ascii_needle, const char *needle,
                    gboolean icase, gboolean *in_plain)
{
    static const char key[] = "\ncontent-";
    const char *p = m->header_end;
    while (p < m->end) {
        const char *hit = bodyscan_find(p, (gsize)(m->end - p), key, sizeof key - 1, TRUE);
        if (!hit)
            return FALSE;
        /* Back line by line to the part header's first line: the one
         * after a blank line or a boundary ("--..."). */
        const char *back = hit + 1;
        while (back - 1 > m->header_end && hit + 1 - back < 2048) {
            const char *ls = back - 1;        /* at the '\n' ending the line before */
            while (ls > m->header_end && ls[-1] != '\n')
                ls--;
            if (back - 1 - ls == 0 || (back - 1 - ls == 1 && *ls == '\r') || *ls == '-')
                break;
            back = ls;
        }
        const char *he = find_header_end(hit + 1, m->end);
        char ct[256], cte[256];
        header_value(back, he, "content-type:", ct);
        header_value(back, he, "content-transfer-encoding:", cte);
        const char *t = ct;
        while (*t == ' ' || *t == '\t')
            t++;
        if ((!*t || !strncmp(t, "text/", 5)) &&
            ((*t && strncmp(t, "text/plain", 10)) || cte_encoded(cte) ||
             strstr(t, "format=flowed") || charset_hides_ascii(t) ||
             (!ascii_needle && !charset_is_utf8_compatible(t))))
            return TRUE;
        if (needle && !*in_plain && (!*t || !strncmp(t, "text/plain", 10)) && he < m->end) {
            const char *bs = memchr(he, '\n', (gsize)(m->end - he));
            bs = bs ? bs + 1 : m->end;
            const char *be = bs;
            while (be < m->end && !(be[0] == '-' && be + 1 < m->end && be[1] == '-')) {
                const char *nl = memchr(be, '\n', (gsize)(m->end - be));
                be = nl ? nl + 1 : m->end;
            }
            *in_plain = bodyscan_find(bs, (gsize)(be - bs), needle, strlen(needle), icase) != NULL;
        }
        p = he > hit ? he : hit + 1;
        if (strstr(cte, "base64")) {
            /* An attachment (text would have returned): its data holds no
             * '-', so memchr jumps to the next boundary line at once. */
            const char *q = p;
            while ((q = memchr(q, '-', (gsize)(m->end - q))) &&
                   !(q[-1] == '\n' && q + 1 < m->end && q[1] == '-'))
                q++;
            p = q ? q - 1 : m->end;
        }
    }
    return FALSE;
}

/* ---- deciding ---------------------------------------------------------- */

static gboolean
is_ascii(const char *s)
{
    for (; *s; s++)
        if (*s & 0x80)
            return FALSE;
    return TRUE;
}

/* The longest run of NEEDLE (casefolded) that its bytes can be looked
 * for with: ASCII (case folded by the search) and characters without
 * case (CJK, digits, punctuation), which folding leaves as they are. */
static char *
caseless_part(const char *needle)
{
    const char *best = needle, *run = needle;
    gsize best_len = 0;
    for (const char *p = needle;; p = g_utf8_next_char(p)) {
        gunichar c = *p ? g_utf8_get_char(p) : 0;
        gboolean ok = c && (c < 0x80 || (g_unichar_tolower(c) == c &&
                                         g_unichar_toupper(c) == c));
        if (!ok) {
            if ((gsize)(p - run) > best_len) {
                best = run;
                best_len = (gsize)(p - run);
            }
            if (!*p)
                break;
            run = g_utf8_next_char(p);
        }
    }
    return g_strndup(best, best_len);
}

/* The decoded body text of message I contains NEEDLE? */
static gboolean
decoded_contains(StoreFolder *f, guint i, const char *needle, gboolean icase)
{
    g_autoptr(GBytes) raw = store_folder_read(f, i, NULL);
    if (!raw)
        return FALSE;
    /* No helper programs while searching: the built-in HTML converter. */
    MimeViewOptions opts = { .no_external = TRUE };
    g_autoptr(MimeView) v = mime_view_new(raw, &opts, NULL);
    return v && pattern_text_contains(v->body_text, needle, !icase);
}

/* Bytes [S, E) contain NEEDLE (casefolded when ICASE)? */
static gboolean
bytes_contain(const char *s, const char *e, const char *needle, gboolean icase)
{
    g_autofree char *text = g_strndup(s, (gsize)(e - s));
    return pattern_text_contains(text, needle, !icase);
}

guint8 *
bodyscan_run(StoreFolder *f, const char *needle, gboolean icase, ScanScope scope,
             GError **error)
{
    guint n = store_folder_count(f);
    if (n == 0)
        return g_new0(guint8, 1);
    const StoreMessage *lastm = store_folder_get(f, n - 1);
    g_autoptr(GMappedFile) mf = g_mapped_file_new(store_folder_path(f), FALSE, error);
    if (!mf) {
        g_prefix_error(error, _("Cannot search %s: "), store_folder_path(f));
        return NULL;
    }
    const char *map = g_mapped_file_get_contents(mf);
    gsize len = g_mapped_file_get_length(mf);
    if (lastm->offset + lastm->length > len) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("Cannot search %s: it changed while being read; try again"),
                    store_folder_path(f));
        return NULL;
    }

    gboolean ascii = is_ascii(needle);
    /* With a non-ASCII needle ignoring case, bytes can only suggest
     * candidates (É is not é in bytes): confirm each by folding.  A
     * needle of CJK text has no case and is looked for whole. */
    gboolean exact = ascii || !icase;
    g_autofree char *probe = exact ? g_strdup(needle) : caseless_part(needle);
    gsize plen = strlen(probe);
    gboolean probe_useful = plen >= 3 || (exact && plen > 0);

    Msg *msgs = g_new(Msg, n);
    for (guint i = 0; i < n; i++) {
        const StoreMessage *sm = store_folder_get(f, i);
        const char *s = map + sm->offset, *e = s + sm->length;
        const char *nl = memchr(s, '\n', sm->length);
        msgs[i].start = nl ? nl + 1 : e;
        msgs[i].end = e;
        msgs[i].header_end = NULL;   /* found when needed */
    }

    /* raw[i]: bit 1 a hit in the header, bit 2 a hit in the body */
    guint8 *raw = g_new0(guint8, n);
    if (probe_useful) {
        guint i = 0;
        const char *p = msgs[0].start, *end = msgs[n - 1].end;
        while (p < end) {
            const char *hit = bodyscan_find(p, (gsize)(end - p), probe, plen, icase);
            if (!hit)
                break;
            while (i < n && msgs[i].end <= hit)
                i++;
            if (i >= n)
                break;
            Msg *m = &msgs[i];
            if (hit < m->start) {     /* in a From_ line */
                p = m->start;
                continue;
            }
            if (!m->header_end)
                m->header_end = find_header_end(m->start, m->end);
            if (hit < m->header_end) {
                raw[i] |= 1;
                p = scope == SCAN_BODY ? m->header_end : m->end;
            } else {
                raw[i] |= 2;
                p = m->end;
            }
        }
    } else {
        memset(raw, 3, n);   /* no usable bytes to look for: all candidates */
    }

    guint8 *hits = g_new0(guint8, n);
    /* mboxrd's ">From " quoting differs from the text: confirm by decoding. */
    gboolean quoting = strchr(needle, '>') != NULL;
    for (guint i = 0; i < n; i++) {
        Msg *m = &msgs[i];
        if (scope != SCAN_BODY) {
            guint8 want = scope == SCAN_HEADER ? 1 : 3;
            if (!(raw[i] & want))
                continue;
            if (!m->header_end)
                m->header_end = find_header_end(m->start, m->end);
            const char *e = scope == SCAN_HEADER ? m->header_end : m->end;
            hits[i] = exact && probe_useful ? 1 : bytes_contain(m->start, e, needle, icase);
            continue;
        }
        if (!m->header_end)
            m->header_end = find_header_end(m->start, m->end);
        BodyKind k = body_kind(m, ascii);
        switch (k) {
        case BODY_NONE:
            break;
        case BODY_AS_STORED:
            if (raw[i] & 2)
                hits[i] = exact && probe_useful && !quoting
                              ? 1 : decoded_contains(f, i, needle, icase);
            break;
        case BODY_ENCODED:
            hits[i] = decoded_contains(f, i, needle, icase);
            break;
        case BODY_MIXED: {
            gboolean direct = exact && probe_useful && !quoting && (raw[i] & 2);
            gboolean in_plain = FALSE;
            if (parts_need_decoding(m, ascii, direct ? needle : NULL, icase, &in_plain) ||
                ((raw[i] & 2) && !in_plain))
                hits[i] = decoded_contains(f, i, needle, icase);
            else
                hits[i] = in_plain;
            break;
        }
        }
    }
    g_free(raw);
    g_free(msgs);
    return hits;
}
