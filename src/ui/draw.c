/* Drawing text by display width.  Everything goes through here so a wide
 * character is never cut in half, a combining mark never takes a cell of
 * its own, and nothing unsafe reaches the terminal. */
#include <config.h>

#include <string.h>
#include <wchar.h>

#include "ui/private.h"

/* Characters in one cell: a base and its combining marks. */
#ifndef CCHARW_MAX
#define CCHARW_MAX 5
#endif

/* Columns one character takes; unprintable ones are drawn as '?'. */
static int
char_width(gunichar c)
{
    int w = wcwidth((wchar_t)c);
    if (w < 0)
        return -1;
    return w;
}

int
draw_width(const char *text)
{
    int w = 0;
    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        int cw = char_width(g_utf8_get_char(p));
        w += cw < 0 ? 1 : cw;
    }
    return w;
}

int
draw_text(int y, int x, const char *text, int cols, gboolean pad)
{
    if (cols <= 0)
        return 0;
    int used = 0;
    /* Build one cell at a time: a base character plus its combining marks,
     * so curses keeps them together. */
    wchar_t cell[CCHARW_MAX + 1];
    int cell_len = 0, cell_w = 0;
    attr_t attr;
    short pair;
    attr_get(&attr, &pair, NULL);
    move(y, x);

#define FLUSH_CELL() do { \
        if (cell_len > 0) { \
            cchar_t cc; \
            cell[cell_len] = L'\0'; \
            setcchar(&cc, cell, attr, pair, NULL); \
            add_wch(&cc); \
            used += cell_w; \
            cell_len = 0; \
            cell_w = 0; \
        } \
    } while (0)

    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        int w = char_width(c);
        if (w < 0) {
            c = '?';
            w = 1;
        }
        if (w == 0) {
            /* A combining mark: joins the current cell if there is room. */
            if (cell_len > 0 && cell_len < CCHARW_MAX - 1)
                cell[cell_len++] = (wchar_t)c;
            continue;
        }
        FLUSH_CELL();
        if (used + w > cols) {
            break;
        }
        cell[0] = (wchar_t)c;
        cell_len = 1;
        cell_w = w;
    }
    if (cell_len > 0 && used + cell_w <= cols)
        FLUSH_CELL();
#undef FLUSH_CELL
    if (pad)
        for (; used < cols; used++)
            addch(' ');
    return used;
}

int
draw_untrusted(int y, int x, const char *text, int cols, gboolean pad)
{
    g_autofree char *safe = term_safe(text ? text : "", -1, TERM_SAFE_DEFAULT);
    return draw_text(y, x, safe, cols, pad);
}

void
draw_wrap(const char *text, int cols, GPtrArray *rows)
{
    if (cols < 1)
        cols = 1;
    const char *start = text;
    const char *p = text;
    int w = 0;
    if (!*text) {
        g_ptr_array_add(rows, g_strdup(""));
        return;
    }
    while (*p) {
        gunichar c = g_utf8_get_char(p);
        int cw = char_width(c);
        if (cw < 0)
            cw = 1;
        if (w + cw > cols && p != start) {
            g_ptr_array_add(rows, g_strndup(start, (gsize)(p - start)));
            start = p;
            w = 0;
        }
        w += cw;
        p = g_utf8_next_char(p);
    }
    if (p != start)
        g_ptr_array_add(rows, g_strndup(start, (gsize)(p - start)));
}

void
draw_clear(int y, int x, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        move(y + r, x);
        for (int c = 0; c < cols; c++)
            addch(' ');
    }
}
