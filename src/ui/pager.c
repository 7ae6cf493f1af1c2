/* The full-screen pager: the selected message's display lines, scrolled
 * by line and page; the same keys for moving to the next or previous
 * message as in the list. */
#include <config.h>

#include "ui/private.h"

void
pager_run(Ui *ui)
{
    int top = 0;
    for (;;) {
        preview_sync(ui);
        Rendered *r = ui->preview;
        if (!r)
            return;
        const StoreMessage *cur = msglist_selected(ui);
        if (cur && !(cur->flags & MSG_READ))
            store_folder_set_flags(ui->folder, ui->sel_idx,
                                   (cur->flags | MSG_READ) & ~(guint32)MSG_OLD);
        Rect rect = { 1, 0, LINES - 3, COLS };
        if (rect.h < 1)
            rect.h = 1;
        rendered_wrap(r, rect.w);
        int rows = (int)r->rows->len;
        top = CLAMP(top, 0, MAX(rows - rect.h, 0));

        erase();
        layout_compute(&ui->layout, LINES, COLS, ui->show_folders, ui->preview_mode,
                       ui->preview_percent);
        attrset(colors_attr(COL_HINT));
        g_autofree char *kq = keymap_first_key(ui->keys, ACT_QUIT);
        g_autofree char *kr = keymap_first_key(ui->keys, ACT_REPLY);
        g_autofree char *kh = keymap_first_key(ui->keys, ACT_HELP);
        g_autofree char *hint = g_strdup_printf(_("%s:Back  <Space>:Page  j/k:Message  %s:Reply  %s:Help"),
                                                kq, kr, kh);
        draw_text(0, 0, hint, COLS, TRUE);
        attrset(A_NORMAL);
        rendered_draw(r, &rect, top);
        attrset(colors_attr(COL_STATUS));
        int pct = rows <= rect.h ? 100 : (int)((gint64)MIN(top + rect.h, rows) * 100 / rows);
        const StoreMessage *m = msglist_selected(ui);
        g_autofree char *subj = term_safe(m && m->subject ? m->subject : "", -1, TERM_SAFE_DEFAULT);
        g_autofree char *st = g_strdup_printf(_("-- pager: %s (%d%%) --"), subj, pct);
        draw_text(LINES - 2, 0, st, COLS, TRUE);
        attrset(A_NORMAL);
        message_draw(ui);
        refresh();

        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE))
            continue;
        g_clear_pointer(&ui->message, g_free);
        UiAction a = keymap_lookup(ui->keys, key);
        /* In the pager, space pages, arrows scroll lines, j/k change message. */
        if (key == ' ' || key == (UI_KEY_FUNC | KEY_NPAGE)) {
            if (top + rect.h >= rows) {
                int row = msglist_sel_row(ui);
                if (row + 1 < (int)ui->view.rows) {
                    msglist_select_row(ui, row + 1);
                    top = 0;
                }
            } else
                top += rect.h - 1;
        } else if (key == '-' || key == (UI_KEY_FUNC | KEY_PPAGE) || key == 'b') {
            top -= rect.h - 1;
        } else if (key == (UI_KEY_FUNC | KEY_DOWN) || key == '\n' || key == '\r') {
            top++;
        } else if (key == (UI_KEY_FUNC | KEY_UP)) {
            top--;
        } else if (key == (UI_KEY_FUNC | KEY_HOME)) {
            top = 0;
        } else if (key == (UI_KEY_FUNC | KEY_END)) {
            top = rows;
        } else if (a == ACT_QUIT || a == ACT_OPEN || key == 27) {
            return;
        } else if (a == ACT_DOWN || a == ACT_UP) {
            int row = msglist_sel_row(ui) + (a == ACT_DOWN ? 1 : -1);
            if (row >= 0 && row < (int)ui->view.rows) {
                msglist_select_row(ui, row);
                top = 0;
            } else
                ui_message(ui, a == ACT_DOWN ? _("This is the last message.")
                                             : _("This is the first message."));
        } else if (a == ACT_HELP) {
            help_run(ui);
        } else if (a != ACT_NONE) {
            /* Other actions (reply, delete, ...) work on this message
             * from the list; leave and let it run there. */
            ui->pending_action = a;
            return;
        }
    }
}
