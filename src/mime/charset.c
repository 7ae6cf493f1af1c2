/* Text in whatever charset a message claims (or forgot) -> valid UTF-8. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "mime/private.h"

/* Converted text may hold NUL bytes; they would cut the string short
 * later, so they become U+FFFD. */
static char *
replace_nuls(const char *s, gsize len)
{
    GString *out = g_string_sized_new(len + 1);
    for (gsize i = 0; i < len; i++) {
        if (s[i] == '\0')
            g_string_append(out, "\xEF\xBF\xBD");
        else
            g_string_append_c(out, s[i]);
    }
    return g_string_free(out, FALSE);
}

/* Valid UTF-8 apart from NUL bytes (which g_utf8_validate refuses). */
static gboolean
utf8_valid_but_nuls(const char *data, gsize len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *e = NULL;
        if (g_utf8_validate(p, end - p, &e))
            return TRUE;
        if (e >= end || *e != '\0')
            return FALSE;
        p = e + 1;
    }
    return TRUE;
}

/* Does DATA hold at least one well-formed multi-byte UTF-8 character? */
static gboolean
has_utf8_sequence(const char *data, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if ((unsigned char)data[i] < 0xC2)
            continue;
        gunichar c = g_utf8_get_char_validated(data + i, (gssize)(len - i));
        if (c != (gunichar)-1 && c != (gunichar)-2)
            return TRUE;
    }
    return FALSE;
}

/* Charset labels as browsers read them (WHATWG Encoding Standard): the
 * Windows supersets senders really use.  Outlook labels Windows-1252 text
 * ISO-8859-1, Shift_JIS mail carries CP932's NEC and IBM characters, and
 * "ks_c_5601-1987" is Windows-949. */
static const struct {
    const char *label;
    const char *iconv;
} whatwg[] = {
    { "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
    { "ansi_x3.4-1968", "WINDOWS-1252" }, { "iso-8859-1", "WINDOWS-1252" },
    { "iso8859-1", "WINDOWS-1252" }, { "iso_8859-1", "WINDOWS-1252" },
    { "iso88591", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
    { "cp819", "WINDOWS-1252" }, { "ibm819", "WINDOWS-1252" }, { "x-cp1252", "WINDOWS-1252" },
    { "cp1252", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
    { "iso-8859-9", "WINDOWS-1254" }, { "latin5", "WINDOWS-1254" }, { "iso8859-9", "WINDOWS-1254" },
    { "iso-8859-11", "WINDOWS-874" }, { "tis-620", "WINDOWS-874" },
    { "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
    { "x-sjis", "CP932" }, { "ms_kanji", "CP932" }, { "windows-31j", "CP932" },
    { "csshiftjis", "CP932" }, { "cp932", "CP932" },
    { "euc-jp", "EUC-JP-MS" }, { "x-euc-jp", "EUC-JP-MS" },
    { "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "ks_c_5601-1989", "CP949" },
    { "ksc5601", "CP949" }, { "ksc_5601", "CP949" }, { "korean", "CP949" },
    { "csksc56011987", "CP949" }, { "iso-ir-149", "CP949" }, { "windows-949", "CP949" },
    /* GBK (CP936 in glibc) also has the euro sign at 0x80, as WHATWG's
     * gbk decoder; a real GB18030 label keeps its 4-byte sequences. */
    { "gb2312", "GBK" }, { "gb_2312-80", "GBK" }, { "gb_2312", "GBK" },
    { "csgb2312", "GBK" }, { "chinese", "GBK" }, { "iso-ir-58", "GBK" },
    { "x-gbk", "GBK" }, { "gbk", "GBK" }, { "cp936", "GBK" }, { "euc-cn", "GBK" },
    { "gb18030", "GB18030" },
    { "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
    { "cn-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
    { "iso-8859-8-i", "ISO-8859-8" }, { "macintosh", "MACINTOSH" }, { "x-mac-roman", "MACINTOSH" },
    { "utf8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" }, { "utf-8", "UTF-8" },
};

const char *
mime_charset_name(const char *label)
{
    if (!label)
        return NULL;
    g_autofree char *l = g_ascii_strdown(label, -1);
    g_strstrip(l);
    for (gsize i = 0; i < G_N_ELEMENTS(whatwg); i++)
        if (strcmp(l, whatwg[i].label) == 0)
            return whatwg[i].iconv;
    if (strcmp(l, "iso-2022-jp") == 0 || strcmp(l, "csiso2022jp") == 0)
        return "ISO-2022-JP";
    mime_init();
    return g_mime_charset_iconv_name(label);
}

static gboolean
is_ascii_label(const char *label)
{
    static const char *const ascii[] = { "us-ascii", "ascii", "ansi_x3.4-1968", "us", NULL };
    for (const char *const *a = ascii; *a; a++)
        if (g_ascii_strcasecmp(label, *a) == 0)
            return TRUE;
    return FALSE;
}

/* ISO-2022-JP as WHATWG reads it: its JIS X 0208 table is CP932's, with
 * the NEC row 13 characters (①, ㈱) that iconv's ISO-2022-JP refuses.  The
 * text is turned into CP932 bytes (JIS rows -> Shift_JIS) for iconv;
 * bytes outside any valid sequence stay and are substituted there. */
static GString *
iso2022jp_to_cp932(const char *data, gsize len)
{
    enum { ASCII, ROMAN, JIS0208, KATAKANA } mode = ASCII;
    GString *out = g_string_sized_new(len);
    for (gsize i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0x1b && i + 2 < len) {
            const char *e = data + i + 1;
            if ((e[0] == '$' && (e[1] == 'B' || e[1] == '@'))) {
                mode = JIS0208;
                i += 2;
                continue;
            }
            if (e[0] == '(' && (e[1] == 'B' || e[1] == 'J' || e[1] == 'I')) {
                mode = e[1] == 'B' ? ASCII : e[1] == 'J' ? ROMAN : KATAKANA;
                i += 2;
                continue;
            }
        }
        if (c == '\n' || c == '\r') {
            mode = mode == JIS0208 || mode == KATAKANA ? ASCII : mode;   /* broken: reset */
            g_string_append_c(out, (char)c);
        } else if (mode == JIS0208 && c >= 0x21 && c <= 0x7e && i + 1 < len &&
                   (unsigned char)data[i + 1] >= 0x21 && (unsigned char)data[i + 1] <= 0x7e) {
            unsigned j1 = c, j2 = (unsigned char)data[++i];
            unsigned s1 = ((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 : 0xb0);
            unsigned s2 = j2 + ((j1 & 1) ? (j2 >= 0x60 ? 0x20 : 0x1f) : 0x7e);
            g_string_append_c(out, (char)s1);
            g_string_append_c(out, (char)s2);
        } else if (mode == KATAKANA && c >= 0x21 && c <= 0x5f) {
            g_string_append_c(out, (char)(c + 0x80));
        } else if ((mode == JIS0208 && c >= 0x21) || (mode == KATAKANA && c > 0x5f)) {
            g_string_append_c(out, (char)0xff);   /* not a character: invalid */
        } else {
            g_string_append_c(out, c < 0x80 ? (char)c : (char)0xff);
        }
    }
    return out;
}

/* DATA from FROM to UTF-8; each sequence iconv refuses becomes one U+FFFD
 * and conversion goes on.  *CLEAN says whether none was refused.  NULL
 * when iconv does not know FROM. */
static char *
convert_lossy(const char *data, gsize len, const char *from, gboolean *clean)
{
    *clean = TRUE;
    g_autoptr(GString) jis = NULL;
    if (g_ascii_strcasecmp(from, "ISO-2022-JP") == 0) {
        jis = iso2022jp_to_cp932(data, len);
        data = jis->str;
        len = jis->len;
        from = "CP932";
    }
    GIConv cd = g_iconv_open("UTF-8", from);
    if (cd == (GIConv)-1)
        return NULL;
    GString *out = g_string_sized_new(len + 16);
    char *in = (char *)data;
    gsize inleft = len;
    char buf[4096];
    while (inleft > 0) {
        char *op = buf;
        gsize outleft = sizeof buf;
        gsize r = g_iconv(cd, &in, &inleft, &op, &outleft);
        g_string_append_len(out, buf, (gssize)(sizeof buf - outleft));
        if (r != (gsize)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ, or EINVAL: a sequence cut off at the end. */
        g_string_append(out, "\xEF\xBF\xBD");
        *clean = FALSE;
        in++;
        inleft--;
    }
    char *op = buf;
    gsize outleft = sizeof buf;
    g_iconv(cd, NULL, NULL, &op, &outleft);
    g_string_append_len(out, buf, (gssize)(sizeof buf - outleft));
    g_iconv_close(cd);
    char *r = replace_nuls(out->str, out->len);
    g_string_free(out, TRUE);
    return r;
}

static char *
try_convert(const char *data, gsize len, const char *from)
{
    gboolean clean = FALSE;
    char *r = convert_lossy(data, len, from, &clean);
    if (r && !clean)
        g_clear_pointer(&r, g_free);
    return r;
}

static char *
to_utf8(const char *data, gsize len, const char *charset);

/* Text to read: a CRLF line end becomes LF (base64 text from Outlook and
 * others carries CRLF; the CR of the last line was shown as ^M, and a
 * reply quoted every line with its CR). */
char *
mime_charset_to_utf8(const char *data, gsize len, const char *charset)
{
    char *s = to_utf8(data, len, charset);
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(r[0] == '\r' && r[1] == '\n'))
            *w++ = *r;
    *w = '\0';
    return s;
}

static char *
to_utf8(const char *data, gsize len, const char *charset)
{
    if (!data)
        return g_strdup("");
    const char *name = charset && *charset ? mime_charset_name(charset) : NULL;
    gboolean ascii = charset && is_ascii_label(charset);
    if (name && !ascii && g_ascii_strcasecmp(name, "UTF-8") != 0) {
        gboolean clean = FALSE;
        g_autofree char *r = convert_lossy(data, len, name, &clean);
        if (r && clean)
            return g_steal_pointer(&r);
        /* Not in the declared charset: mislabelled UTF-8 is common. */
        if (r && has_utf8_sequence(data, len) && utf8_valid_but_nuls(data, len))
            return replace_nuls(data, len);
        if (r)
            return g_steal_pointer(&r);
    }
    /* UTF-8, ASCII (often 8-bit in fact), missing or unknown. */
    if (utf8_valid_but_nuls(data, len))
        return replace_nuls(data, len);
    /* Mostly UTF-8 with some broken bytes: keep what is good and show
     * the rest as U+FFFD.  No UTF-8 sequence at all: a legacy charset. */
    if (has_utf8_sequence(data, len)) {
        g_autofree char *valid = g_utf8_make_valid(data, (gssize)len);
        return replace_nuls(valid, strlen(valid));
    }
    char *r = try_convert(data, len, "WINDOWS-1252");
    if (r)
        return r;
    r = try_convert(data, len, "ISO-8859-1");
    if (r)
        return r;
    return g_utf8_make_valid(data, (gssize)len);
}
