/* The actions that need compose, fetch, send or the address book. */
#include <config.h>

#include "ui/private.h"

void
ui_features_init(Ui *ui)
{
    ui->events = g_async_queue_new();
}

void
ui_features_shutdown(Ui *ui)
{
    if (ui->events)
        g_async_queue_unref(ui->events);
    ui->events = NULL;
}

gboolean
ui_handle_events(Ui *ui)
{
    return FALSE;
}

gboolean
ui_timer_tick(Ui *ui)
{
    return FALSE;
}

void
ui_run_feature(Ui *ui, UiAction a)
{
    const ActionInfo *info = keymap_action_info(a);
    ui_error(ui, _("\"%s\" is not available in this build yet."), info ? info->name : "?");
}
