/* Colours: one pair per screen element, from [colors] ("element = fg bg").
 * Without colours (NO_COLOR set, color = false, or a monochrome terminal)
 * every element falls back to an attribute (reverse, bold) so the screen
 * still reads. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ui/private.h"

static const struct {
    const char *name;
    const char *def;          /* default "fg bg" */
    attr_t mono;              /* attribute without colours */
} elements[COL_COUNT] = {
    [COL_NORMAL] = { "normal", "default default", A_NORMAL },
    [COL_INDICATOR] = { "indicator", "black cyan", A_REVERSE },
    [COL_STATUS] = { "status", "white blue", A_REVERSE },
    [COL_HINT] = { "hint", "white blue", A_REVERSE },
    [COL_NEW] = { "new", "brightyellow default", A_BOLD },
    [COL_DELETED] = { "deleted", "red default", A_DIM },
    [COL_FLAGGED] = { "flagged", "brightred default", A_BOLD },
    [COL_DIVIDER] = { "divider", "white blue", A_REVERSE },
    [COL_HEADER] = { "header", "green default", A_BOLD },
    [COL_QUOTED] = { "quoted", "cyan default", A_NORMAL },
    [COL_ERROR] = { "error", "brightred default", A_BOLD },
    [COL_TREE] = { "tree", "magenta default", A_NORMAL },
    [COL_FOLDER] = { "folder", "default default", A_NORMAL },
    [COL_PARTIAL] = { "partial", "yellow default", A_UNDERLINE },
};

static attr_t attrs[COL_COUNT];

static const char *const color_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

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

static gboolean
parse_pair(const char *spec, short *fg, short *bg, gboolean *bold)
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
colors_check(const PostieConfig *cfg, GPtrArray *problems)
{
    if (cfg && cfg->colors) {
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
            else if (!parse_pair(v, &fg, &bg, &bold))
                msg = g_strdup_printf(_("\"%s\" is not \"foreground [background]\" colours"), v);
            if (msg && problems)
                conf_problem_add(problems, CONF_ERROR, cfg->path,
                                 conf_line_of(cfg, "colors", k), k, g_steal_pointer(&msg));
            g_free(msg);
        }
    }
}

void
colors_init(const PostieConfig *cfg, GPtrArray *problems)
{
    for (int i = 0; i < COL_COUNT; i++)
        attrs[i] = elements[i].mono;
    /* Check [colors] even when colours are off, so mistakes show. */
    colors_check(cfg, problems);

    const char *no_color = g_getenv("NO_COLOR");
    if ((no_color && *no_color) || (cfg && !cfg->color) || !has_colors())
        return;
    if (start_color() == ERR)
        return;
    use_default_colors();

    for (int i = 0; i < COL_COUNT; i++) {
        const char *spec = elements[i].def;
        const char *user = cfg && cfg->colors
                               ? g_hash_table_lookup(cfg->colors, elements[i].name)
                               : NULL;
        short fg, bg;
        gboolean bold;
        if (!(user && parse_pair(user, &fg, &bg, &bold)))
            parse_pair(spec, &fg, &bg, &bold);
        if (fg >= COLORS || bg >= COLORS)
            continue;
        if (init_pair((short)(i + 1), fg, bg) == ERR)
            continue;
        attrs[i] = COLOR_PAIR(i + 1) | (bold ? A_BOLD : A_NORMAL);
    }
}

attr_t
colors_attr(UiColor c)
{
    return attrs[c];
}
