/* Make untrusted text (headers, bodies, file names, server replies) safe to
 * draw: nothing in it may reach the terminal as a control sequence. */
#include <config.h>

#include <string.h>

#include "util/util.h"

/* Characters that reorder or hide text without being controls: shown as
 * escapes so a message cannot make one thing look like another. */
static gboolean
is_bidi_control(gunichar c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

char *
term_safe(const char *text, gssize len, TermSafeFlags flags)
{
    if (text == NULL)
        return g_strdup("");
    if (len < 0)
        len = (gssize)strlen(text);

    GString *out = g_string_sized_new((gsize)len + 8);
    const char *p = text;
    const char *end = text + len;

    while (p < end) {
        unsigned char b = (unsigned char)*p;
        if (b < 0x80) {
            if (b == '\n' && (flags & TERM_SAFE_KEEP_NEWLINES))
                g_string_append_c(out, '\n');
            else if (b == '\t')
                g_string_append_c(out, (flags & TERM_SAFE_KEEP_TABS) ? '\t' : ' ');
            else if (b == '\r' && p + 1 < end && p[1] == '\n' &&
                     (flags & TERM_SAFE_KEEP_NEWLINES))
                ; /* CRLF line end: keep only the LF */
            else if (b < 0x20) {
                g_string_append_c(out, '^');
                g_string_append_c(out, (char)(b + '@'));
            } else if (b == 0x7f)
                g_string_append(out, "^?");
            else
                g_string_append_c(out, (char)b);
            p++;
            continue;
        }

        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append(out, "\xEF\xBF\xBD"); /* U+FFFD */
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        if (c < 0xA0 || is_bidi_control(c))
            g_string_append_printf(out, "<U+%04X>", c);  /* C1 controls */
        else if (c == 0x2028 || c == 0x2029)
            g_string_append_c(out, (flags & TERM_SAFE_KEEP_NEWLINES) ? '\n' : ' ');
        else
            g_string_append_len(out, p, next - p);
        p = next;
    }
    return g_string_free(out, FALSE);
}

gsize
term_width(const char *text)
{
    gsize width = 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iszerowidth(c))
            continue;
        width += g_unichar_iswide(c) ? 2 : 1;
    }
    return width;
}
