/* Reading patterns on the message line, and mutt's limit (l): the list
 * shows only the messages matching a pattern until "all" or ~A. */
#include <config.h>

#include <string.h>

#include "ui/private.h"

Pattern *
ui_read_pattern(Ui *ui, const char *question, char **text)
{
    g_autofree char *q = prompt_line(ui, question, NULL, NULL, NULL);
    if (!q || !*g_strstrip(q))
        return NULL;
    g_autoptr(GError) error = NULL;
    Pattern *p = pattern_parse(q, g_get_real_time() / G_USEC_PER_SEC, &error);
    if (!p) {
        ui_error(ui, "%s", error->message);
        return NULL;
    }
    if (text)
        *text = g_steal_pointer(&q);
    return p;
}

void
limit_run(Ui *ui)
{
    if (!ui->folder)
        return;
    g_autofree char *q = prompt_line(ui, _("Limit to messages matching (all: every one): "),
                                     ui->view.limit_text, NULL, NULL);
    if (!q || !*g_strstrip(q))
        return;
    MsgView *v = &ui->view;
    Pattern *p = NULL;
    if (strcmp(q, "all") && strcmp(q, "~A")) {
        g_autoptr(GError) error = NULL;
        p = pattern_parse(q, g_get_real_time() / G_USEC_PER_SEC, &error);
        if (!p) {
            ui_error(ui, "%s", error->message);
            return;
        }
    }
    pattern_free(v->limit);
    g_free(v->limit_text);
    v->limit = p;
    v->limit_text = p ? g_strdup(q) : NULL;
    view_rebuild(v, FALSE);
    msglist_reselect(ui);
    if (v->limit_error) {
        ui_error(ui, "%s", v->limit_error->message);
        g_clear_error(&v->limit_error);
    } else if (p && v->rows == 0) {
        ui_error(ui, _("No messages match; l then all shows every message."));
    }
}
