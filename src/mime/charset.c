/* Text in whatever charset a message claims (or forgot) -> valid UTF-8. */
#include <config.h>

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

static char *
try_convert(const char *data, gsize len, const char *from)
{
    gsize written = 0;
    char *out = g_convert(data, (gssize)len, "UTF-8", from, NULL, &written, NULL);
    if (!out)
        return NULL;
    char *r = replace_nuls(out, written);
    g_free(out);
    return r;
}

char *
mime_charset_to_utf8(const char *data, gsize len, const char *charset)
{
    if (!data)
        return g_strdup("");
    mime_init();
    if (charset && *charset) {
        const char *name = g_mime_charset_iconv_name(charset);
        if (g_ascii_strcasecmp(name, "UTF-8") == 0 || g_ascii_strcasecmp(name, "us-ascii") == 0 ||
            g_ascii_strcasecmp(name, "ASCII") == 0) {
            /* ASCII-labelled mail is often 8-bit; judged below. */
        } else {
            char *r = try_convert(data, len, name);
            if (r)
                return r;
        }
    }
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
