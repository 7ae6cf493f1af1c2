/* A message as display lines, and the preview pane that shows the
 * selected one.  The preview is keyed by the message's offset, so it is
 * re-rendered only when the selected message changes, never because rows
 * moved. */
#include <config.h>

#include <string.h>

#include <gmime/gmime.h>

#include "ui/private.h"

enum { KIND_BODY = 0, KIND_HEADER = 1, KIND_QUOTED = 2, KIND_ATTACH = 3 };

static void
add_line(Rendered *r, const char *text, int kind)
{
    g_ptr_array_add(r->lines, term_safe(text, -1, TERM_SAFE_DEFAULT));
    g_array_append_val(r->kinds, kind);
}

/* Add TEXT (many lines) with quoted lines marked. */
static void
add_text(Rendered *r, const char *text)
{
    g_autofree char *safe = term_safe(text, -1, TERM_SAFE_KEEP_NEWLINES);
    g_auto(GStrv) lines = g_strsplit(safe, "\n", -1);
    int n = (int)g_strv_length(lines);
    /* no trailing empty line from the final newline */
    if (n > 0 && lines[n - 1][0] == '\0')
        n--;
    for (int i = 0; i < n; i++) {
        int kind = lines[i][0] == '>' ? KIND_QUOTED : KIND_BODY;
        g_ptr_array_add(r->lines, g_strdup(lines[i]));
        g_array_append_val(r->kinds, kind);
    }
}

static void
add_header(Rendered *r, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    g_autofree char *line = g_strdup_printf("%s: %s", name, value);
    add_line(r, line, KIND_HEADER);
}

typedef struct {
    Rendered *r;
    gboolean have_text;
    int n_attach;
} WalkCtx;

static void
walk_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    WalkCtx *w = data;
    if (!GMIME_IS_PART(part))
        return;
    GMimePart *p = GMIME_PART(part);
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    gboolean is_text = ct && g_mime_content_type_is_type(ct, "text", "plain");
    if (is_text && !g_mime_part_is_attachment(p) && !w->have_text) {
        char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        if (text) {
            add_text(w->r, text);
            g_free(text);
        }
        w->have_text = TRUE;
        return;
    }
    const char *name = g_mime_part_get_filename(p);
    g_autofree char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("?");
    g_autofree char *line = g_strdup_printf(_("[-- Attachment %d: %s (%s) --]"),
                                            ++w->n_attach, name ? name : _("(no name)"), type);
    add_line(w->r, "", KIND_BODY);
    add_line(w->r, line, KIND_ATTACH);
}

Rendered *
rendered_new(StoreFolder *f, guint idx, GError **error)
{
    g_autoptr(GBytes) bytes = store_folder_read(f, idx, error);
    if (!bytes)
        return NULL;
    Rendered *r = g_new0(Rendered, 1);
    r->offset = store_folder_get(f, idx)->offset;
    r->lines = g_ptr_array_new_with_free_func(g_free);
    r->kinds = g_array_new(FALSE, FALSE, sizeof(int));
    r->rows_width = -1;

    gsize len;
    const char *data = g_bytes_get_data(bytes, &len);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg) {
        add_line(r, _("(this message could not be parsed; showing it raw)"), KIND_HEADER);
        g_autofree char *raw = g_strndup(data, len);
        add_text(r, raw);
        return r;
    }

    const char *names[] = { N_("From"), N_("To"), N_("Cc") };
    InternetAddressList *lists[] = {
        g_mime_message_get_from(msg),
        g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO),
        g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC),
    };
    for (int i = 0; i < 3; i++) {
        if (!lists[i] || internet_address_list_length(lists[i]) == 0)
            continue;
        g_autofree char *s = internet_address_list_to_string(lists[i], NULL, FALSE);
        add_header(r, _(names[i]), s);
    }
    GDateTime *date = g_mime_message_get_date(msg);
    if (date) {
        g_autoptr(GDateTime) local = g_date_time_to_local(date);
        g_autofree char *s = local ? g_date_time_format(local, "%a, %d %b %Y %H:%M:%S %z") : NULL;
        add_header(r, _("Date"), s);
    }
    add_header(r, _("Subject"), g_mime_message_get_subject(msg));
    add_line(r, "", KIND_BODY);

    WalkCtx w = { r, FALSE, 0 };
    g_mime_message_foreach(msg, walk_part, &w);
    if (!w.have_text && w.n_attach == 0)
        add_line(r, _("(no text in this message)"), KIND_HEADER);
    g_object_unref(msg);
    return r;
}

void
rendered_free(Rendered *r)
{
    if (!r)
        return;
    g_ptr_array_unref(r->lines);
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
        draw_text(rect->y + i, rect->x, r->rows->pdata[row], rect->w, TRUE);
    }
    attrset(A_NORMAL);
}

void
preview_sync(Ui *ui)
{
    const StoreMessage *m = msglist_selected(ui);
    if (!m) {
        g_clear_pointer(&ui->preview, rendered_free);
        return;
    }
    if (ui->preview && ui->preview->offset == m->offset)
        return;
    g_clear_pointer(&ui->preview, rendered_free);
    ui->preview_top = 0;
    g_autoptr(GError) error = NULL;
    ui->preview = rendered_new(ui->folder, ui->sel_idx, &error);
    if (!ui->preview)
        ui_error(ui, "%s", error->message);
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
