/* The help screen: every action with the keys bound to it now (after
 * [keys] rebinding), so what is shown is what works. */
#include <config.h>

#include "ui/private.h"

void
help_run(Ui *ui)
{
    const ActionInfo *acts = keymap_actions();
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    int kw = 8;
    for (int i = 0; i < ACT_COUNT - 1; i++) {
        g_autofree char *keys = keymap_keys_for(ui->keys, acts[i].action);
        kw = MAX(kw, draw_width(keys));
    }
    kw = MIN(kw, 24);
    for (int i = 0; i < ACT_COUNT - 1; i++) {
        g_autofree char *keys = keymap_keys_for(ui->keys, acts[i].action);
        /* keys are ASCII names or one character; pad by display width */
        GString *l = g_string_new(keys[0] ? keys : "-");
        for (int p = draw_width(l->str); p < kw + 2; p++)
            g_string_append_c(l, ' ');
        g_string_append_printf(l, "%-20s %s", acts[i].name, _(acts[i].help));
        g_ptr_array_add(lines, g_string_free(l, FALSE));
    }
    help_show(ui, lines);
}

void
help_show(Ui *ui, GPtrArray *lines)
{
    int top = 0;
    for (;;) {
        int h = LINES - 2, w = COLS;
        erase();
        attrset(colors_attr(COL_HINT));
        draw_text(0, 0, _("Key bindings  (q: back; j/k, <Space>: scroll; see postie-keys(7))"), w, TRUE);
        attrset(A_NORMAL);
        for (int r = 0; r < h; r++) {
            int i = top + r;
            if (i >= (int)lines->len)
                break;
            draw_text(r + 1, 0, lines->pdata[i], w, TRUE);
        }
        attrset(colors_attr(COL_STATUS));
        g_autofree char *st = g_strdup_printf(_("-- help: %d-%d of %u --"), top + 1,
                                              MIN(top + h, (int)lines->len), lines->len);
        draw_text(LINES - 1, 0, st, w, TRUE);
        attrset(A_NORMAL);
        refresh();
        int key = ui_getkey(ui);
        UiAction a = keymap_lookup(ui->keys, key);
        if (key == (UI_KEY_FUNC | KEY_RESIZE))
            continue;
        if (a == ACT_QUIT || a == ACT_HELP || key == 27 || key == (UI_KEY_FUNC | KEY_EXIT))
            break;
        if (a == ACT_DOWN)
            top++;
        else if (a == ACT_UP)
            top--;
        else if (a == ACT_PAGE_DOWN)
            top += h;
        else if (a == ACT_PAGE_UP)
            top -= h;
        top = CLAMP(top, 0, MAX((int)lines->len - h, 0));
    }
    g_ptr_array_unref(lines);
}
