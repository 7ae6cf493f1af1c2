/* The three one-line areas: the key hint at the top, the status line
 * (folder, counts, sort, progress) and the message line at the bottom. */
#include <config.h>

#include <stdarg.h>

#include "ui/private.h"

void
hint_draw(Ui *ui)
{
    static const struct { UiAction a; const char *label; } items[] = {
        { ACT_QUIT, N_("Quit") }, { ACT_OPEN, N_("Read") },
        { ACT_COMPOSE, N_("Mail") }, { ACT_REPLY, N_("Reply") },
        { ACT_DELETE, N_("Del") }, { ACT_CHANGE_FOLDER, N_("Folder") },
        { ACT_FETCH, N_("Fetch") }, { ACT_SEARCH, N_("Search") },
        { ACT_HELP, N_("Help") },
    };
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(items); i++) {
        g_autofree char *k = keymap_first_key(ui->keys, items[i].a);
        g_string_append_printf(s, "%s:%s  ", k, _(items[i].label));
    }
    attrset(colors_attr(COL_HINT));
    draw_text(ui->layout.hint.y, 0, s->str, ui->layout.hint.w, TRUE);
    attrset(A_NORMAL);
    g_string_free(s, TRUE);
}

void
status_draw(Ui *ui)
{
    GString *s = g_string_new("-- postie: ");
    if (ui->folder_name) {
        g_autofree char *name = term_safe(ui->folder_name, -1, TERM_SAFE_DEFAULT);
        g_string_append(s, name);
        guint n = ui->view.n, unread = 0, deleted = 0;
        for (guint i = 0; ui->folder && i < n; i++) {
            guint32 f = store_folder_get(ui->folder, i)->flags;
            unread += !(f & MSG_READ);
            deleted += (f & MSG_DELETED) != 0;
        }
        int row = msglist_sel_row(ui);
        g_string_append_printf(s, " [%d/%u", row + 1, ui->view.rows);
        if (ui->view.limit)
            g_string_append_printf(s, _(" limited, of %u"), n);
        if (unread)
            g_string_append_printf(s, _(", %u new"), unread);
        if (deleted)
            g_string_append_printf(s, _(", %u deleted"), deleted);
        if (ui->view.ntagged)
            g_string_append_printf(s, _(", %u tagged"), ui->view.ntagged);
        g_string_append(s, "]");
        /* the number postie list and show use for this message */
        if (msglist_selected(ui))
            g_string_append_printf(s, " #%u", ui->sel_idx + 1);
        if (ui->view.limit) {
            g_autofree char *lim = term_safe(ui->view.limit_text, -1, TERM_SAFE_DEFAULT);
            g_string_append_printf(s, _(" limit: %s"), lim);
        }
    }
    g_string_append_printf(s, _(" (%s%s%s)"), ui->view.reverse ? "reverse-" : "",
                           sort_name(ui->view.sort), ui->view.threads ? _(", threads") : "");
    if (ui->outbox_count)
        g_string_append_printf(s, _("  Outbox: %u"), ui->outbox_count);
    if (ui->progress)
        g_string_append_printf(s, "  %s", ui->progress);
    g_string_append(s, " --");
    attrset(colors_attr(COL_STATUS));
    draw_text(ui->layout.status.y, 0, s->str, ui->layout.status.w, TRUE);
    attrset(A_NORMAL);
    g_string_free(s, TRUE);
}

void
message_draw(Ui *ui)
{
    attrset(ui->message_is_error ? colors_attr(COL_ERROR) : A_NORMAL);
    draw_text(ui->layout.message.y, 0, ui->message ? ui->message : "",
              ui->layout.message.w, TRUE);
    attrset(A_NORMAL);
}

static void
set_message(Ui *ui, gboolean error, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    g_free(ui->message);
    /* Messages often carry server or file text: never draw it raw. */
    ui->message = term_safe(text, -1, TERM_SAFE_DEFAULT);
    ui->message_is_error = error;
}

void
ui_message(Ui *ui, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ui, FALSE, fmt, ap);
    va_end(ap);
}

void
ui_error(Ui *ui, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(ui, TRUE, fmt, ap);
    va_end(ap);
    beep();
}
