/* GKeyFile does not say on which line a group or key stands, and its
 * syntax errors carry no line number.  This scan of the raw text gives
 * both, so every problem can be reported as FILE:LINE. */
#include <config.h>

#include <string.h>

#include "config/conf_private.h"
#include "util/util.h"

static char *
line_key(const char *group, const char *key)
{
    return g_strdup_printf("%s\x1f%s", group, key ? key : "");
}

static GHashTable *
scan_rows(const char *path, char **rows, GPtrArray *problems, GError **error)
{
    GHashTable *lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *group = NULL;

    for (int n = 0; rows[n]; n++) {
        const char *row = rows[n];
        while (*row == ' ' || *row == '\t')
            row++;
        if (*row == '\0' || *row == '\r' || *row == '#')
            continue;
        if (*row == '[') {
            const char *close = strchr(row, ']');
            if (!close) {
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                            _("%s:%d: group header has no closing ']'"), path, n + 1);
                g_hash_table_destroy(lines);
                return NULL;
            }
            g_free(group);
            group = g_strndup(row + 1, (gsize)(close - row - 1));
            char *k = line_key(group, NULL);
            if (g_hash_table_contains(lines, k))
                conf_problem_add(problems, CONF_WARNING, path, n + 1, NULL,
                                 g_strdup_printf(_("group [%s] appears twice; "
                                                   "its keys are merged"), group));
            g_hash_table_insert(lines, k, GINT_TO_POINTER(n + 1));
            continue;
        }
        const char *eq = strchr(row, '=');
        if (!eq) {
            /* the start of the line is enough to find it (a file given by
             * mistake may have lines of megabytes) */
            g_autofree char *shown = term_safe(row, -1, TERM_SAFE_DEFAULT);
            if (g_utf8_strlen(shown, -1) > 80) {
                char *cut = g_utf8_offset_to_pointer(shown, 77);
                strcpy(cut, "...");
            }
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("%s:%d: \"%s\" is not a setting (key = value), "
                          "a [group] or a # comment"), path, n + 1, shown);
            g_hash_table_destroy(lines);
            return NULL;
        }
        if (!group) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                        _("%s:%d: setting before the first [group]"), path, n + 1);
            g_hash_table_destroy(lines);
            return NULL;
        }
        g_autofree char *key = g_strstrip(g_strndup(row, (gsize)(eq - row)));
        char *k = line_key(group, key);
        if (g_hash_table_contains(lines, k)) {
            conf_problem_add(problems, CONF_WARNING, path, n + 1, key,
                             g_strdup(_("set twice in the same group; the last one counts")));
            g_free(k);
        } else {
            g_hash_table_insert(lines, k, GINT_TO_POINTER(n + 1));
        }
    }
    return lines;
}

GHashTable *
conf_scan_lines(const char *path, const char *text, GPtrArray *problems,
                GError **error)
{
    char **rows = g_strsplit(text, "\n", -1);
    GHashTable *lines = scan_rows(path, rows, problems, error);
    for (int n = 0; rows[n]; n++)
        secret_wipe(rows[n]);       /* a row may hold a password */
    g_strfreev(rows);
    return lines;
}

int
conf_lookup_line(GHashTable *lines, const char *group, const char *key)
{
    if (!lines)
        return 0;
    g_autofree char *k = line_key(group, key);
    return GPOINTER_TO_INT(g_hash_table_lookup(lines, k));
}
