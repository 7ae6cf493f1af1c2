/* Colours: one curses pair per screen element, from the colours view/
 * reads in [colors].  Without colours (NO_COLOR set, color = false, or a
 * monochrome terminal) every element falls back to an attribute
 * (reverse, bold) so the screen still reads. */
#include <config.h>

#include "ui/private.h"

/* The attribute of each element without colours. */
static const attr_t mono[COL_COUNT] = {
    [COL_NORMAL] = A_NORMAL,
    [COL_INDICATOR] = A_REVERSE,
    [COL_STATUS] = A_REVERSE,
    [COL_HINT] = A_REVERSE,
    [COL_NEW] = A_BOLD,
    [COL_DELETED] = A_DIM,
    [COL_FLAGGED] = A_BOLD,
    [COL_DIVIDER] = A_REVERSE,
    [COL_HEADER] = A_BOLD,
    [COL_QUOTED] = A_NORMAL,
    [COL_ERROR] = A_BOLD,
    [COL_TREE] = A_NORMAL,
    [COL_FOLDER] = A_NORMAL,
    [COL_PARTIAL] = A_UNDERLINE,
};

static attr_t attrs[COL_COUNT];

void
colors_init(const PostieConfig *cfg, GPtrArray *problems)
{
    for (int i = 0; i < COL_COUNT; i++)
        attrs[i] = mono[i];
    /* Check [colors] even when colours are off, so mistakes show. */
    colors_check(cfg, problems);

    const char *no_color = g_getenv("NO_COLOR");
    if ((no_color && *no_color) || (cfg && !cfg->color) || !has_colors())
        return;
    if (start_color() == ERR)
        return;
    use_default_colors();

    for (int i = 0; i < COL_COUNT; i++) {
        short fg, bg;
        gboolean bold;
        colors_of(cfg, (UiColor)i, &fg, &bg, &bold);
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
