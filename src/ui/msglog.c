/* The message log: every message and error shown on the message line,
 * with the time it came, so one that was replaced by the next background
 * event can still be read (mutt's error history).  The last MSGLOG_MAX
 * are kept; the message-log key shows them, newest last. */
#include <config.h>

#include "ui/private.h"

#define MSGLOG_MAX 500

typedef struct {
    gint64 time;             /* Unix time */
    gboolean error;
    char *text;              /* terminal-safe already */
} LogEntry;

static void
entry_free(gpointer p)
{
    LogEntry *e = p;
    g_free(e->text);
    g_free(e);
}

void
msglog_add(Ui *ui, gboolean error, const char *text)
{
    if (!ui->log)
        ui->log = g_queue_new();
    LogEntry *e = g_new0(LogEntry, 1);
    e->time = g_get_real_time() / G_USEC_PER_SEC;
    e->error = error;
    e->text = g_strdup(text);
    g_queue_push_tail(ui->log, e);
    while (g_queue_get_length(ui->log) > MSGLOG_MAX)
        entry_free(g_queue_pop_head(ui->log));
}

void
msglog_free(Ui *ui)
{
    if (ui->log)
        g_queue_free_full(ui->log, entry_free);
    ui->log = NULL;
}

/* "Dec 04 18:49:03  text": the date only when not today. */
static char *
entry_line(const LogEntry *e)
{
    g_autoptr(GDateTime) d = g_date_time_new_from_unix_local(e->time);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *when = NULL;
    if (d && now && g_date_time_get_day_of_year(d) == g_date_time_get_day_of_year(now) &&
        g_date_time_get_year(d) == g_date_time_get_year(now))
        when = g_date_time_format(d, "%H:%M:%S");
    else if (d)
        when = g_date_time_format(d, "%b %d %H:%M:%S");
    return g_strdup_printf("%s  %s", when ? when : "?", e->text);
}

static void
draw_log(Ui *ui, GPtrArray *rows, GArray *errs, int top)
{
    int h = LINES - 2, w = COLS;
    erase();
    attrset(colors_attr(COL_HINT));
    g_autofree char *quit = keymap_first_key(ui->keys, ACT_QUIT);
    g_autofree char *title = g_strdup_printf(_("Messages (newest last)  %s: back; "
                                               "j/k, <Space>: scroll"), quit);
    draw_text(0, 0, title, w, TRUE);
    attrset(A_NORMAL);
    for (int r = 0; r < h && top + r < (int)rows->len; r++) {
        gboolean err = g_array_index(errs, gboolean, top + r);
        attrset(err ? colors_attr(COL_ERROR) : A_NORMAL);
        draw_text(r + 1, 0, rows->pdata[top + r], w, TRUE);
    }
    attrset(colors_attr(COL_STATUS));
    g_autofree char *st = g_strdup_printf(_("-- messages: %d-%d of %u --"),
                                          rows->len ? top + 1 : 0,
                                          MIN(top + h, (int)rows->len), rows->len);
    draw_text(LINES - 1, 0, st, w, TRUE);
    attrset(A_NORMAL);
    refresh();
}

void
msglog_run(Ui *ui)
{
    for (;;) {
        /* Built afresh each time: background events may add messages. */
        GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
        GArray *errs = g_array_new(FALSE, FALSE, sizeof(gboolean));
        int w = MAX(COLS, 10);
        for (GList *l = ui->log ? ui->log->head : NULL; l; l = l->next) {
            const LogEntry *e = l->data;
            g_autofree char *line = entry_line(e);
            guint before = rows->len;
            draw_wrap(line, w, rows);
            for (guint i = before; i < rows->len; i++)
                g_array_append_val(errs, e->error);
        }
        if (rows->len == 0) {
            g_ptr_array_add(rows, g_strdup(_("(no messages yet)")));
            gboolean no = FALSE;
            g_array_append_val(errs, no);
        }
        int h = MAX(LINES - 2, 1);
        int max_top = MAX((int)rows->len - h, 0);
        ui->log_top = ui->log_follow ? max_top : CLAMP(ui->log_top, 0, max_top);
        draw_log(ui, rows, errs, ui->log_top);
        g_ptr_array_unref(rows);
        g_array_unref(errs);

        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        UiAction a = keymap_lookup(ui->keys, key);
        if (a == ACT_QUIT || a == ACT_MESSAGE_LOG || key == 27 || key == (UI_KEY_FUNC | KEY_EXIT))
            break;
        if (a == ACT_DOWN)
            ui->log_top++;
        else if (a == ACT_UP)
            ui->log_top--;
        else if (a == ACT_PAGE_DOWN)
            ui->log_top += h;
        else if (a == ACT_PAGE_UP)
            ui->log_top -= h;
        else if (a == ACT_FIRST)
            ui->log_top = 0;
        else if (a == ACT_LAST)
            ui->log_top = max_top;
        ui->log_top = CLAMP(ui->log_top, 0, max_top);
        /* At the bottom it follows new messages, as a log viewer does. */
        ui->log_follow = ui->log_top >= max_top;
    }
    ui->log_follow = TRUE;
}
