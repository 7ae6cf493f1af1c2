/* Forwarding the tagged messages (;f), as mutt's tag-prefix forward with
 * mime_forward: one new message with each original attached as
 * message/rfc822, in the order shown. */
#include <config.h>

#include "ui/private.h"

void
forward_tagged(Ui *ui)
{
    g_autoptr(GArray) idx = ui_targets(ui, TRUE);
    if (idx->len == 0)
        return;
    g_autoptr(GError) error = NULL;
    GPtrArray *raws = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (guint k = 0; k < idx->len; k++) {
        GBytes *b = store_folder_read(ui->folder, g_array_index(idx, guint, k), &error);
        if (!b) {
            ui_error(ui, "%s", error->message);
            g_ptr_array_unref(raws);
            return;
        }
        g_ptr_array_add(raws, b);
    }
    GPtrArray *own = g_ptr_array_new();
    for (guint i = 0; i < ui->cfg->accounts->len; i++)
        g_ptr_array_add(own, ((Account *)ui->cfg->accounts->pdata[i])->address);
    g_ptr_array_add(own, NULL);
    MimeViewOptions opts = { 0 };
    opts.html_converter = ui->cfg->html_converter;
    /* The first message gives the subject ("Fwd: ...") and the sender. */
    MimeDraft *d = mime_reply_draft(raws->pdata[0], MIME_FORWARD_ATTACH,
                                    (const char *const *)own->pdata, &opts, &error);
    g_ptr_array_free(own, TRUE);
    if (!d) {
        ui_error(ui, "%s", error->message);
        g_ptr_array_unref(raws);
        return;
    }
    if (raws->len > 1) {
        d->forward_more = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
        for (guint k = 1; k < raws->len; k++)
            g_ptr_array_add(d->forward_more, g_bytes_ref(raws->pdata[k]));
    }
    g_ptr_array_unref(raws);
    compose_forward_draft(ui, d);
}
