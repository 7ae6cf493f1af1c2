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

/* Accounts whose last fetch failed, sorted: "  Fetch failed: home". */
static void
append_failed(Ui *ui, GString *s)
{
    if (!ui->fetch_failed || g_hash_table_size(ui->fetch_failed) == 0)
        return;
    GList *names = g_list_sort(g_hash_table_get_keys(ui->fetch_failed),
                               (GCompareFunc)g_strcmp0);
    g_string_append(s, _("  Fetch failed: "));
    for (GList *l = names; l; l = l->next) {
        g_autofree char *safe = term_safe(l->data, -1, TERM_SAFE_DEFAULT);
        g_string_append_printf(s, "%s%s", l == names ? "" : ", ", safe);
    }
    g_list_free(names);
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
            g_string_append_printf(s, g_dngettext(PACKAGE, ", %u new", ", %u new", unread),
                                   unread);
        if (deleted)
            g_string_append_printf(s, g_dngettext(PACKAGE, ", %u deleted", ", %u deleted",
                                                  deleted), deleted);
        if (ui->view.ntagged)
            g_string_append_printf(s, g_dngettext(PACKAGE, ", %u tagged", ", %u tagged",
                                                  ui->view.ntagged), ui->view.ntagged);
        g_string_append(s, "]");
        /* the number postie list and show use for this message */
        if (msglist_selected(ui))
            g_string_append_printf(s, " #%u", ui->sel_idx + 1);
        if (ui->view.limit) {
            g_autofree char *lim = term_safe(ui->view.limit_text, -1, TERM_SAFE_DEFAULT);
            g_string_append_printf(s, _(" limit: %s"), lim);
        }
    }
    g_autofree char *sort = g_strdup_printf(_(" (%s%s%s)"), ui->view.reverse ? "reverse-" : "",
                                            sort_name(ui->view.sort),
                                            ui->view.threads ? _(", threads") : "");
    GString *tail = g_string_new(NULL);
    if (ui->outbox_count)
        g_string_append_printf(tail, _("  Outbox: %u"), ui->outbox_count);
    if (ui->outbox_count && ui->next_send_retry && !ui->busy) {
        gint64 left = ui->next_send_retry - g_get_monotonic_time();
        int min = (int)MAX((left + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC), 0);
        g_string_append_printf(tail, g_dngettext(PACKAGE, " (retry in %d min)",
                                                 " (retry in %d min)", min), min);
    }
    append_failed(ui, tail);
    if (ui->progress)
        g_string_append_printf(tail, "  %s", ui->progress);
    g_string_append(tail, " --");
    /* On a narrow screen the sort order gives way first: failed fetches
     * and the Outbox matter more than what the o key shows anyway. */
    if (draw_width(s->str) + draw_width(sort) + draw_width(tail->str) <= ui->layout.status.w)
        g_string_append(s, sort);
    g_string_append(s, tail->str);
    g_string_free(tail, TRUE);
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
    /* Messages often carry server or file text: never draw it raw. */
    char *safe = term_safe(text, -1, TERM_SAFE_DEFAULT);
    msglog_add(ui, error, safe);
    /* An error on screen stays until a key is pressed (the main loop
     * clears it); later news goes to the log only. */
    if (!error && ui->message && ui->message_is_error) {
        g_free(safe);
        return;
    }
    g_free(ui->message);
    ui->message = safe;
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
