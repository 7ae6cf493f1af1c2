/* The screen's elements and their colours as [colors] gives them
 * ("element = fg [bg]").  Only names and numbers here: ui/colors.c turns
 * them into curses colour pairs. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "view/view.h"

static const struct {
    const char *name;
    const char *def;          /* default "fg bg" */
} elements[COL_COUNT] = {
    [COL_NORMAL] = { "normal", "default default" },
    [COL_INDICATOR] = { "indicator", "black cyan" },
    [COL_STATUS] = { "status", "white blue" },
    [COL_HINT] = { "hint", "white blue" },
    [COL_NEW] = { "new", "brightyellow default" },
    [COL_DELETED] = { "deleted", "red default" },
    [COL_FLAGGED] = { "flagged", "brightred default" },
    [COL_DIVIDER] = { "divider", "white blue" },
    [COL_HEADER] = { "header", "green default" },
    [COL_QUOTED] = { "quoted", "cyan default" },
    [COL_ERROR] = { "error", "brightred default" },
    [COL_TREE] = { "tree", "magenta default" },
    [COL_FOLDER] = { "folder", "default default" },
    [COL_PARTIAL] = { "partial", "yellow default" },
};

static const char *const color_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

const char *
colors_element_name(UiColor c)
{
    return elements[c].name;
}

/* "red", "brightred", "color123", "default" -> curses colour, bold flag. */
static gboolean
parse_color(const char *s, short *color, gboolean *bright)
{
    *bright = FALSE;
    if (!g_ascii_strcasecmp(s, "default")) {
        *color = -1;
        return TRUE;
    }
    if (!g_ascii_strncasecmp(s, "bright", 6)) {
        *bright = TRUE;
        s += 6;
    }
    for (short i = 0; i < 8; i++)
        if (!g_ascii_strcasecmp(s, color_names[i])) {
            *color = i;
            return TRUE;
        }
    if (!g_ascii_strncasecmp(s, "color", 5) && s[5]) {
        char *end;
        long n = strtol(s + 5, &end, 10);
        if (*end == '\0' && n >= 0 && n < 256) {
            *color = (short)n;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean
colors_parse_pair(const char *spec, short *fg, short *bg, gboolean *bold)
{
    g_auto(GStrv) parts = g_strsplit_set(spec, " \t", -1);
    const char *words[2] = { NULL, NULL };
    int n = 0;
    for (int i = 0; parts[i]; i++) {
        if (!*parts[i])
            continue;
        if (n == 2)
            return FALSE;
        words[n++] = parts[i];
    }
    if (n == 0)
        return FALSE;
    gboolean b2;
    if (!parse_color(words[0], fg, bold))
        return FALSE;
    if (!words[1]) {
        *bg = -1;
        return TRUE;
    }
    return parse_color(words[1], bg, &b2);
}

void
colors_of(const PostieConfig *cfg, UiColor c, short *fg, short *bg,
          gboolean *bold)
{
    const char *user = cfg && cfg->colors
                           ? g_hash_table_lookup(cfg->colors, elements[c].name)
                           : NULL;
    if (!(user && colors_parse_pair(user, fg, bg, bold)))
        colors_parse_pair(elements[c].def, fg, bg, bold);
}

void
colors_check(const PostieConfig *cfg, GPtrArray *problems)
{
    if (!cfg || !cfg->colors)
        return;
    /* Sorted, so the report does not depend on hash order. */
    g_autoptr(GList) names = g_list_sort(g_hash_table_get_keys(cfg->colors),
                                         (GCompareFunc)strcmp);
    for (GList *l = names; l; l = l->next) {
        const char *k = l->data;
        const char *v = g_hash_table_lookup(cfg->colors, k);
        gboolean known = FALSE;
        for (int i = 0; i < COL_COUNT; i++)
            known |= !g_ascii_strcasecmp(k, elements[i].name);
        short fg, bg;
        gboolean bold;
        char *msg = NULL;
        if (!known)
            msg = g_strdup_printf(_("unknown screen element \"%s\""), k);
        else if (!colors_parse_pair(v, &fg, &bg, &bold))
            msg = g_strdup_printf(_("\"%s\" is not \"foreground [background]\" colours"), v);
        if (msg && problems)
            conf_problem_add(problems, CONF_ERROR, cfg->path,
                             conf_line_of(cfg, "colors", k), k, g_steal_pointer(&msg));
        g_free(msg);
    }
}

void
view_check_config(const PostieConfig *cfg, GPtrArray *problems)
{
    keymap_free(keymap_new(cfg, problems));
    colors_check(cfg, problems);
}
