/* Tagging from the screen (mutt's t, T, ^T) and the tag prefix (;); the
 * tags themselves are kept by view/tags.c. */
#include <config.h>

#include "ui/private.h"

void
tags_toggle(Ui *ui)
{
    if (!msglist_selected(ui))
        return;
    MsgView *v = &ui->view;
    tags_set(v, ui->sel_idx, !v->tagged[ui->sel_idx]);
    int row = msglist_sel_row(ui);
    if (row + 1 < (int)v->rows)
        msglist_select_row(ui, row + 1);
}

void
tags_by_pattern(Ui *ui, gboolean tag)
{
    if (!ui->folder)
        return;
    g_autofree char *text = NULL;
    g_autoptr(Pattern) p = ui_read_pattern(ui, tag ? _("Tag messages matching: ")
                                                   : _("Untag messages matching: "), &text);
    if (!p)
        return;
    MsgView *v = &ui->view;
    PatternTarget t = view_target(v);
    guint changed = 0;
    g_autoptr(GError) error = NULL;
    /* Only the rows shown: under a limit, mutt tags what is visible. */
    for (guint r = 0; r < v->rows && !error; r++) {
        guint i = v->order[r];
        if (!!v->tagged[i] != !!tag && pattern_match(p, &t, i, &error)) {
            tags_set(v, i, tag);
            changed++;
        }
    }
    if (error) {
        ui_error(ui, "%s", error->message);
        return;
    }
    ui_message(ui, tag ? g_dngettext(PACKAGE, "%u message tagged; %u tagged in all.",
                                     "%u messages tagged; %u tagged in all.", changed)
                       : g_dngettext(PACKAGE, "%u message untagged; %u tagged in all.",
                                     "%u messages untagged; %u tagged in all.", changed),
               changed, v->ntagged);
}

GArray *
ui_targets(Ui *ui, gboolean tagged)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
    MsgView *v = &ui->view;
    if (!tagged) {
        if (msglist_selected(ui))
            g_array_append_val(out, ui->sel_idx);
        return out;
    }
    /* In view order, so piped or forwarded messages come as shown. */
    for (guint r = 0; r < v->rows; r++)
        if (v->tagged[v->order[r]])
            g_array_append_val(out, v->order[r]);
    for (guint i = 0; i < v->n; i++)   /* tagged but hidden by a limit */
        if (v->tagged[i] && v->row_of[i] < 0)
            g_array_append_val(out, i);
    return out;
}

void
tags_prefix(Ui *ui)
{
    if (ui->view.ntagged == 0) {
        ui_error(ui, _("No tagged messages."));
        return;
    }
    ui_message(ui, _("Tagged: press the action for the %u tagged messages..."),
               ui->view.ntagged);
    UiAction a;
    for (;;) {
        ui_redraw(ui);
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            return;
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        g_clear_pointer(&ui->message, g_free);
        if (key == 27 || key == 7)
            return;
        a = keymap_lookup(ui->keys, key);
        break;
    }
    switch (a) {
    case ACT_FORWARD:
        forward_tagged(ui);
        break;
    case ACT_DELETE: case ACT_UNDELETE: case ACT_FLAG: case ACT_TOGGLE_READ:
    case ACT_SAVE: case ACT_PIPE:
        ui->tag_prefix = TRUE;
        ui_run_action(ui, a);
        ui->tag_prefix = FALSE;
        break;
    default: {
        const ActionInfo *info = keymap_action_info(a);
        ui_error(ui, _("%s does not work on tagged messages."),
                 info ? info->name : "?");
        break;
    }
    }
}
