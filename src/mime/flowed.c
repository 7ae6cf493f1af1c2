/* format=flowed (RFC 3676): lines ending in a space continue on the next
 * line of the same quote depth; one leading space is stuffing; with
 * DelSp=yes the trailing space is removed when joining.  "-- " (the
 * signature separator) never flows. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

static void
flush(GString *out, GString *para, int depth, gboolean *open)
{
    if (!*open)
        return;
    for (int i = 0; i < depth; i++)
        g_string_append_c(out, '>');
    if (depth > 0 && para->len > 0)
        g_string_append_c(out, ' ');
    g_string_append_len(out, para->str, (gssize)para->len);
    g_string_append_c(out, '\n');
    g_string_truncate(para, 0);
    *open = FALSE;
}

char *
mime_flowed_reflow(const char *text, gboolean delsp)
{
    GString *out = g_string_new(NULL);
    GString *para = g_string_new(NULL);
    gboolean open = FALSE, prev_flowed = FALSE;
    int para_depth = 0;

    char **lines = g_strsplit(text ? text : "", "\n", -1);
    guint n = g_strv_length(lines);
    /* A final newline leaves an empty last element: not a line. */
    if (n > 0 && lines[n - 1][0] == '\0')
        n--;
    for (guint i = 0; i < n; i++) {
        char *line = lines[i];
        gsize len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        int depth = 0;
        while (line[depth] == '>')
            depth++;
        const char *content = line + depth;
        if (*content == ' ')
            content++;   /* space-stuffing (or the space after the quotes) */
        gsize clen = strlen(content);
        gboolean is_sig = strcmp(content, "-- ") == 0;
        gboolean flowed = clen > 0 && content[clen - 1] == ' ' && !is_sig;

        if (!(open && prev_flowed && depth == para_depth))
            flush(out, para, para_depth, &open);
        gsize take = clen;
        if (flowed && delsp)
            take--;
        g_string_append_len(para, content, (gssize)take);
        open = TRUE;
        para_depth = depth;
        prev_flowed = flowed;
        if (!flowed)
            flush(out, para, para_depth, &open);
    }
    flush(out, para, para_depth, &open);
    g_strfreev(lines);
    g_string_free(para, TRUE);
    return g_string_free(out, FALSE);
}
