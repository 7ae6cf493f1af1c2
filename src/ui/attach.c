/* The attachments of the selected message (MIME parts and inline
 * uuencode blocks, as mime/ finds them): list, save under a safe name in
 * a chosen directory, open with the mailcap entry for the type. */
#include <config.h>

#include "ui/private.h"

static void
save_one(Ui *ui, const MimeAttachment *a)
{
    const char *def = ui->cfg->download_dir ? ui->cfg->download_dir : g_get_home_dir();
    g_autofree char *initial = g_str_has_suffix(def, "/") ? g_strdup(def)
                                                          : g_strconcat(def, "/", NULL);
    g_autofree char *dir = prompt_line(ui, _("Save into directory: "), initial,
                                       complete_path, NULL);
    if (!dir || !*g_strstrip(dir))
        return;
    g_autofree char *expanded = paths_expand_home(dir);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = mime_attachment_save(a, expanded, &error);
    if (!path)
        ui_error(ui, "%s", error->message);
    else
        ui_message(ui, _("Saved %s"), path);
}

static void
open_one(Ui *ui, const MimeAttachment *a)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *output = NULL;
    ui_suspend();
    gboolean ok = mime_attachment_open(a, NULL, &output, &error);
    ui_resume();
    if (!ok)
        ui_error(ui, "%s", error->message);
    else if (output && *output)
        ui_message(ui, "%s", output);   /* term-safe already; one line shown */
}

void
attachments_run(Ui *ui)
{
    preview_sync(ui);
    if (!ui->preview || !ui->preview->view) {
        ui_error(ui, _("No message selected."));
        return;
    }
    GPtrArray *list = ui->preview->view->attachments;
    if (list->len == 0) {
        ui_message(ui, _("This message has no attachments."));
        return;
    }
    int sel = 0;
    for (;;) {
        erase();
        attrset(colors_attr(COL_HINT));
        draw_text(0, 0, _("Attachments  q:Back  s:Save  <Enter>/o:Open"), COLS, TRUE);
        attrset(A_NORMAL);
        for (guint i = 0; i < list->len && (int)i < LINES - 3; i++) {
            const MimeAttachment *a = list->pdata[i];
            g_autofree char *d = mime_attachment_describe(a);
            g_autofree char *line = g_strdup_printf("%s%s%s", d,
                                                    a->uuencoded ? _("  [uuencoded]") : "",
                                                    a->damaged ? _("  [damaged]") : "");
            attrset((int)i == sel ? colors_attr(COL_INDICATOR) : A_NORMAL);
            draw_text((int)i + 1, 0, line, COLS, TRUE);
        }
        attrset(colors_attr(COL_STATUS));
        draw_text(LINES - 2, 0, _("-- attachments --"), COLS, TRUE);
        attrset(A_NORMAL);
        message_draw(ui);
        refresh();
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        UiAction act = keymap_lookup(ui->keys, key);
        const MimeAttachment *a = list->pdata[sel];
        if (act == ACT_QUIT || key == 27 || key == (UI_KEY_FUNC | KEY_EXIT))
            return;
        if (act == ACT_DOWN)
            sel = MIN(sel + 1, (int)list->len - 1);
        else if (act == ACT_UP)
            sel = MAX(sel - 1, 0);
        else if (key == 's')
            save_one(ui, a);
        else if (key == 'o' || key == '\n')
            open_one(ui, a);
    }
}
