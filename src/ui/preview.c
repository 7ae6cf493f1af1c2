/* A message as display lines, and the preview pane that shows the
 * selected one.  The preview is keyed by the message's offset, so it is
 * re-rendered only when the selected message changes, never because rows
 * moved. */
#include <config.h>

#include <string.h>

#include "mime/crypto.h"
#include "mime/mime.h"
#include "send/send.h"

#include "ui/compose_crypto.h"
#include "ui/private.h"

enum { KIND_BODY = 0, KIND_HEADER = 1, KIND_QUOTED = 2, KIND_ATTACH = 3, KIND_ERROR = 4 };

static void
add_line(Rendered *r, const char *text, int kind)
{
    g_ptr_array_add(r->lines, term_safe(text, -1, TERM_SAFE_DEFAULT));
    g_array_append_val(r->kinds, kind);
}

static void
add_header(Rendered *r, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    g_autofree char *line = g_strdup_printf("%s: %s", name, value);
    add_line(r, line, KIND_HEADER);
}

Rendered *
rendered_new(StoreFolder *f, guint idx, const PostieConfig *cfg,
             gboolean with_send_error, const char *download_key, GError **error)
{
    g_autoptr(GBytes) bytes = store_folder_read(f, idx, error);
    if (!bytes)
        return NULL;
    MimeViewOptions opts = { 0 };
    opts.html_converter = cfg ? cfg->html_converter : NULL;
    MimeView *view = mime_view_new(bytes, &opts, error);
    if (!view)
        return NULL;
    g_autofree char *how = g_strdup_printf(_("Press %s to download it at the next fetch."),
                                           download_key ? download_key : "-");
    mime_view_note_headers_only(view, how);
    Rendered *r = g_new0(Rendered, 1);
    const StoreMessage *m = store_folder_get(f, idx);
    r->offset = m->offset;
    r->length = m->length;
    r->message_id = g_strdup(m->message_id);
    r->lines = g_ptr_array_new_with_free_func(g_free);
    r->kinds = g_array_new(FALSE, FALSE, sizeof(int));
    r->rows_width = -1;
    r->view = view;

    /* MimeView text is term-safe already; add_line makes sure anyway. */
    for (guint i = 0; i < view->headers->len; i++) {
        MimeHeader *h = view->headers->pdata[i];
        add_header(r, h->name, h->value);
    }
    if (with_send_error) {
        gsize len;
        const char *data = g_bytes_get_data(bytes, &len);
        g_autofree char *err = send_message_error(data, len);
        guint attempts = send_message_attempts(data, len);
        if (err) {
            g_autofree char *l = g_strdup_printf(g_dngettext(PACKAGE, "Not sent (%u attempt): %s",
                                                             "Not sent (%u attempts): %s",
                                                             attempts), attempts, err);
            add_line(r, l, KIND_ERROR);
        }
    }
    add_line(r, "", KIND_BODY);
    for (guint i = 0; i < view->lines->len; i++) {
        const char *l = view->lines->pdata[i];
        MimeLineKind lk = mime_view_line_kind(view, i);   /* signature, decryption */
        add_line(r, l, lk == MIME_LINE_CRYPTO_BAD ? KIND_ERROR : lk != MIME_LINE_TEXT ? KIND_ATTACH
                       : l[0] == '>' ? KIND_QUOTED : KIND_BODY);
    }
    if (view->attachments->len > 0) {
        add_line(r, "", KIND_BODY);
        for (guint i = 0; i < view->attachments->len; i++) {
            g_autofree char *d = mime_attachment_describe(view->attachments->pdata[i]);
            add_line(r, d, KIND_ATTACH);
        }
        g_autofree char *k = g_strdup_printf(_("(the attachments key lists them to save or open)"));
        add_line(r, k, KIND_ATTACH);
    }
    return r;
}

void
rendered_free(Rendered *r)
{
    if (!r)
        return;
    g_ptr_array_unref(r->lines);
    g_free(r->message_id);
    if (r->view)
        mime_view_free(r->view);
    g_array_unref(r->kinds);
    if (r->rows)
        g_ptr_array_unref(r->rows);
    if (r->row_kinds)
        g_array_unref(r->row_kinds);
    g_free(r);
}

void
rendered_wrap(Rendered *r, int width)
{
    if (r->rows && r->rows_width == width)
        return;
    if (r->rows)
        g_ptr_array_unref(r->rows);
    if (r->row_kinds)
        g_array_unref(r->row_kinds);
    r->rows = g_ptr_array_new_with_free_func(g_free);
    r->row_kinds = g_array_new(FALSE, FALSE, sizeof(int));
    r->rows_width = width;
    for (guint i = 0; i < r->lines->len; i++) {
        guint before = r->rows->len;
        draw_wrap(r->lines->pdata[i], width, r->rows);
        int kind = g_array_index(r->kinds, int, i);
        for (guint k = before; k < r->rows->len; k++)
            g_array_append_val(r->row_kinds, kind);
    }
}

void
rendered_draw(Rendered *r, const Rect *rect, int top)
{
    rendered_wrap(r, rect->w);
    for (int i = 0; i < rect->h; i++) {
        int row = top + i;
        attrset(colors_attr(COL_NORMAL));
        if (row < 0 || row >= (int)r->rows->len) {
            draw_clear(rect->y + i, rect->x, 1, rect->w);
            continue;
        }
        int kind = g_array_index(r->row_kinds, int, row);
        if (kind == KIND_HEADER)
            attrset(colors_attr(COL_HEADER));
        else if (kind == KIND_QUOTED)
            attrset(colors_attr(COL_QUOTED));
        else if (kind == KIND_ATTACH)
            attrset(colors_attr(COL_TREE));
        else if (kind == KIND_ERROR)
            attrset(colors_attr(COL_ERROR));
        draw_text(rect->y + i, rect->x, r->rows->pdata[row], rect->w, TRUE);
    }
    attrset(A_NORMAL);
}

/* Replace the usual few header lines of R with every header line of
 * message IDX as stored (folded lines stay as they are). */
static void
use_full_headers(Rendered *r, StoreFolder *f, guint idx)
{
    g_autoptr(GBytes) bytes = store_folder_read(f, idx, NULL);
    if (!bytes)
        return;
    guint n = 0;
    while (n < r->kinds->len && g_array_index(r->kinds, int, n) == KIND_HEADER)
        n++;
    g_ptr_array_remove_range(r->lines, 0, n);
    g_array_remove_range(r->kinds, 0, n);
    gsize len;
    const char *p = g_bytes_get_data(bytes, &len), *end = p + len;
    guint at = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && le[-1] == '\r')
            le--;
        if (le == p)
            break;   /* the blank line ending the header */
        g_autofree char *line = g_strndup(p, (gsize)(le - p));
        int kind = KIND_HEADER;
        g_ptr_array_insert(r->lines, (gint)at, term_safe(line, -1, TERM_SAFE_DEFAULT));
        g_array_insert_val(r->kinds, at, kind);
        at++;
        p = nl ? nl + 1 : end;
    }
    r->full_headers = TRUE;
}

void
preview_sync(Ui *ui)
{
    const StoreMessage *m = msglist_selected(ui);
    if (!m) {
        g_clear_pointer(&ui->preview, rendered_free);
        return;
    }
    if (ui->preview && ui->preview->offset == m->offset &&
        ui->preview->length == m->length &&
        !g_strcmp0(ui->preview->message_id, m->message_id) &&
        ui->preview->full_headers == ui->full_headers)
        return;
    g_clear_pointer(&ui->preview, rendered_free);
    ui->preview_top = 0;
    g_autoptr(GError) error = NULL;
    g_autofree char *key = keymap_first_key(ui->keys, ACT_MARK_DOWNLOAD);
    /* Decrypting may bring up a terminal pinentry. */
    gboolean encrypted = (m->crypto & STORE_CRYPTO_ENCRYPTED) != 0;
    if (encrypted)
        ui_crypto_tty_begin();
    ui->preview = rendered_new(ui->folder, ui->sel_idx, ui->cfg,
                               !g_strcmp0(ui->folder_name, STORE_OUTBOX), key, &error);
    if (encrypted)
        ui_crypto_tty_end();
    if (!ui->preview)
        ui_error(ui, "%s", error->message);
    else if (ui->full_headers)
        use_full_headers(ui->preview, ui->folder, ui->sel_idx);
    ui->preview_since = g_get_monotonic_time();
}

gboolean
preview_tick(Ui *ui)
{
    int secs = ui->cfg ? ui->cfg->preview_mark_read : 0;
    const StoreMessage *m = msglist_selected(ui);
    if (secs <= 0 || !m || !ui->preview || (m->flags & MSG_READ) ||
        ui->layout.preview.h <= 0 || ui->layout.preview.w <= 0 ||
        ui->preview->offset != m->offset ||
        g_get_monotonic_time() - ui->preview_since < (gint64)secs * G_USEC_PER_SEC)
        return FALSE;
    store_folder_set_flags(ui->folder, ui->sel_idx, (m->flags | MSG_READ) & ~(guint32)MSG_OLD);
    return TRUE;
}

void
preview_draw(Ui *ui)
{
    const Rect *r = &ui->layout.preview;
    const Rect *d = &ui->layout.divider;
    if (r->h <= 0 || r->w <= 0)
        return;
    attrset(colors_attr(COL_DIVIDER));
    if (d->h == 1) {
        const StoreMessage *m = msglist_selected(ui);
        g_autofree char *t = g_strdup_printf("-- %s ", m && ui->preview ? _("preview") : "");
        draw_text(d->y, d->x, t, d->w, TRUE);
    } else {
        for (int i = 0; i < d->h; i++)
            draw_text(d->y + i, d->x, "\u2502", 1, TRUE);
    }
    attrset(A_NORMAL);
    if (!ui->preview) {
        draw_clear(r->y, r->x, r->h, r->w);
        return;
    }
    rendered_draw(ui->preview, r, ui->preview_top);
}
