/* The message list.  Only the visible rows are drawn, so a folder of any
 * size costs the same per screen.  The selection is a message (index,
 * offset and Message-ID), never a row number: after a sort, new mail or a
 * refresh the same message is found again (neomutt#3544). */
#include <config.h>

#include <string.h>

#include <gmime/gmime.h>

#include "ui/private.h"

const StoreMessage *
msglist_selected(Ui *ui)
{
    if (!ui->folder || !ui->has_sel || ui->sel_idx >= ui->view.n)
        return NULL;
    return store_folder_get(ui->folder, ui->sel_idx);
}

int
msglist_sel_row(Ui *ui)
{
    if (!ui->has_sel)
        return -1;
    return view_row_of(&ui->view, ui->sel_idx);
}

static void
keep_visible(Ui *ui, int row)
{
    int h = ui->layout.list.h;
    if (h <= 0)
        return;
    if (row < ui->top)
        ui->top = row;
    else if (row >= ui->top + h)
        ui->top = row - h + 1;
    int max_top = (int)ui->view.rows - h;
    if (ui->top > max_top)
        ui->top = max_top;
    if (ui->top < 0)
        ui->top = 0;
}

void
msglist_select_row(Ui *ui, int row)
{
    if (ui->view.rows == 0) {
        ui->has_sel = FALSE;
        g_clear_pointer(&ui->sel_msgid, g_free);
        ui->top = 0;
        return;
    }
    row = CLAMP(row, 0, (int)ui->view.rows - 1);
    guint idx = ui->view.order[row];
    const StoreMessage *m = store_folder_get(ui->folder, idx);
    ui->has_sel = TRUE;
    ui->sel_idx = idx;
    ui->sel_offset = m->offset;
    g_free(ui->sel_msgid);
    ui->sel_msgid = g_strdup(m->message_id);
    keep_visible(ui, row);
}

static gboolean
same_message(const StoreMessage *m, guint64 offset, const char *msgid)
{
    if (m->offset != offset)
        return FALSE;
    return g_strcmp0(m->message_id, msgid) == 0;
}

/* Select the first shown message at or after index IDX in the folder,
 * else the last shown one before it. */
static void
select_near(Ui *ui, guint idx)
{
    MsgView *v = &ui->view;
    for (guint i = idx; i < v->n; i++)
        if (v->row_of[i] >= 0) {
            msglist_select_row(ui, v->row_of[i]);
            return;
        }
    for (guint i = MIN(idx, v->n); i-- > 0;)
        if (v->row_of[i] >= 0) {
            msglist_select_row(ui, v->row_of[i]);
            return;
        }
    msglist_select_row(ui, 0);
}

void
msglist_reselect(Ui *ui)
{
    MsgView *v = &ui->view;
    if (!ui->has_sel) {
        msglist_select_row(ui, 0);
        return;
    }
    /* Fast path: the index still holds the same message. */
    if (ui->sel_idx < v->n &&
        same_message(store_folder_get(ui->folder, ui->sel_idx), ui->sel_offset,
                     ui->sel_msgid)) {
        if (view_row_of(v, ui->sel_idx) < 0)
            select_near(ui, ui->sel_idx);   /* hidden by a limit */
        else
            keep_visible(ui, view_row_of(v, ui->sel_idx));
        return;
    }
    /* The folder changed under us: look for the offset, then the id. */
    int found = -1;
    for (guint i = 0; i < v->n && found < 0; i++)
        if (same_message(store_folder_get(ui->folder, i), ui->sel_offset, ui->sel_msgid))
            found = (int)i;
    for (guint i = 0; i < v->n && found < 0 && ui->sel_msgid; i++)
        if (!g_strcmp0(store_folder_get(ui->folder, i)->message_id, ui->sel_msgid))
            found = (int)i;
    if (found >= 0 && view_row_of(v, (guint)found) >= 0) {
        ui->sel_idx = (guint)found;
        ui->sel_offset = store_folder_get(ui->folder, (guint)found)->offset;
        keep_visible(ui, view_row_of(v, ui->sel_idx));
    } else {
        /* It is gone (or hidden): take a shown message near it. */
        select_near(ui, found >= 0 ? (guint)found : ui->sel_idx);
    }
}

static void
format_date(gint64 t, char *buf, gsize size)
{
    if (t <= 0) {
        g_strlcpy(buf, "", size);
        return;
    }
    g_autoptr(GDateTime) d = g_date_time_new_from_unix_local(t);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    if (!d || !now) {
        g_strlcpy(buf, "?", size);
        return;
    }
    const char *fmt;
    if (g_date_time_get_year(d) == g_date_time_get_year(now) &&
        g_date_time_get_day_of_year(d) == g_date_time_get_day_of_year(now))
        fmt = "%H:%M";
    else if (g_date_time_get_year(d) == g_date_time_get_year(now))
        fmt = "%b %d";
    else
        fmt = "%b %Y";     /* compact: the day matters less with age */
    g_autofree char *s = g_date_time_format(d, fmt);
    g_strlcpy(buf, s ? s : "?", size);
}

static void
format_size(guint64 n, char *buf, gsize size)
{
    if (n < 1000)
        g_snprintf(buf, size, "%u", (unsigned)n);
    else if (n < 1000 * 1024)
        g_snprintf(buf, size, "%uK", (unsigned)((n + 1023) / 1024));
    else if (n < (guint64)10 * 1024 * 1024)
        g_snprintf(buf, size, "%.1fM", (double)n / (1024.0 * 1024.0));
    else
        g_snprintf(buf, size, "%uM", (unsigned)(n / (1024 * 1024)));
}

/* "Name <addr>" shows as Name; the address only when there is no name
 * (the list is narrow; the preview has the whole of it). */
static char *
sender_label(const char *who)
{
    if (!who)
        return g_strdup("");
    InternetAddressList *l = internet_address_list_parse(NULL, who);
    InternetAddress *a = l && internet_address_list_length(l) > 0
                             ? internet_address_list_get_address(l, 0) : NULL;
    const char *name = a ? internet_address_get_name(a) : NULL;
    char *out;
    if (name && *name)
        out = g_strdup(name);
    else if (a && INTERNET_ADDRESS_IS_MAILBOX(a))
        out = g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
    else
        out = g_strdup(who);
    int more = l ? internet_address_list_length(l) - 1 : 0;
    if (more > 0) {
        char *with = g_strdup_printf("%s +%d", out, more);   /* "Bob +2" */
        g_free(out);
        out = with;
    }
    if (l)
        g_object_unref(l);
    return out;
}

/* Folders whose interesting party is the recipient. */
static gboolean
shows_recipient(const char *folder)
{
    return folder && (!strcmp(folder, "Sent") || !strcmp(folder, "Outbox") ||
                      !strcmp(folder, "Drafts"));
}

static void
draw_row(Ui *ui, int y, int row, const Rect *r)
{
    MsgView *v = &ui->view;
    guint idx = v->order[row];
    const StoreMessage *m = store_folder_get(ui->folder, idx);
    gboolean selected = ui->has_sel && idx == ui->sel_idx;

    char flags[5] = "    ";
    if (m->flags & MSG_DELETED)
        flags[0] = 'D';
    else if (ui_server_delete_pending(ui, m))
        flags[0] = 'X';
    else if (!(m->flags & MSG_READ))
        flags[0] = (m->flags & MSG_OLD) ? 'O' : 'N';
    if (m->flags & MSG_FLAGGED)
        flags[1] = '!';
    else if (m->flags & MSG_REPLIED)
        flags[1] = 'r';
    if (m->flags & MSG_PARTIAL)
        flags[2] = 'H';
    else if (m->crypto & STORE_CRYPTO_ENCRYPTED)
        flags[2] = 'P';   /* as mutt's crypt_chars */
    else if (m->crypto & STORE_CRYPTO_SIGNED)
        flags[2] = 's';
    if (m->has_attachments)
        flags[3] = '+';

    attr_t a = colors_attr(COL_NORMAL);
    if (m->flags & MSG_DELETED)
        a = colors_attr(COL_DELETED);
    else if (m->flags & MSG_FLAGGED)
        a = colors_attr(COL_FLAGGED);
    else if (!(m->flags & MSG_READ))
        a = colors_attr(COL_NEW);
    else if (m->flags & MSG_PARTIAL)
        a = colors_attr(COL_PARTIAL);
    if (selected)
        a = colors_attr(COL_INDICATOR);
    attrset(a);

    char date[32], size[16];
    format_date(m->date, date, sizeof date);
    format_size(m->size, size, sizeof size);

    int w = r->w;
    int x = r->x;
    int used = draw_text(y, x, flags, MIN(w, 4), TRUE);
    x += used;
    w -= used;
    if (w <= 1)
        return;
    /* The tag mark, and the message number as postie list and show
     * give it (folder order, from 1), so scripts and the screen agree. */
    char num[24];
    int digits = 1;
    for (guint n = v->n; n >= 10; n /= 10)
        digits++;
    g_snprintf(num, sizeof num, "%c%*u", v->tagged[idx] ? '*' : ' ', digits, idx + 1);
    used = draw_text(y, x, num, MIN(w, digits + 1), FALSE);
    x += used;
    w -= used;
    if (w <= 1)
        return;
    int dw = MIN(w, 9);
    used = draw_text(y, x, " ", 1, FALSE);
    used += draw_text(y, x + 1, date, dw - 1, TRUE);
    x += used;
    w -= used;
    if (w <= 1)
        return;

    int sw = CLAMP(r->w * 3 / 10, 10, 24);
    sw = MIN(sw, w - 1);
    g_autofree char *who = NULL;
    if (shows_recipient(ui->folder_name) && m->to) {
        g_autofree char *to = sender_label(m->to);
        who = g_strdup_printf(_("To %s"), to);
    } else {
        who = sender_label(m->from);
    }
    draw_text(y, x, " ", 1, FALSE);
    draw_untrusted(y, x + 1, who, sw, TRUE);
    x += sw + 1;
    w -= sw + 1;
    if (w <= 1)
        return;

    /* " subject size": one space before each; a narrow list keeps the
     * subject and leaves the size out first. */
    int zw = r->w >= 50 ? MIN(6, w - 2) : 0;
    int subw = zw > 0 ? w - zw - 2 : w - 1;
    draw_text(y, x, " ", 1, FALSE);
    x++;
    int tree = 0;
    if (v->threads && v->depth[row] > 0 && subw > 4) {
        int d = MIN(v->depth[row], 10);
        GString *t = g_string_new(NULL);
        for (int i = 1; i < d; i++)
            g_string_append(t, "  ");
        g_string_append(t, "\u2514\u2500>");
        if (!selected)
            attrset(colors_attr(COL_TREE));
        tree = draw_text(y, x, t->str, subw / 2, FALSE);
        attrset(a);
        g_string_free(t, TRUE);
    }
    draw_untrusted(y, x + tree, m->subject ? m->subject : "", subw - tree, TRUE);
    x += subw;
    if (zw <= 0) {
        attrset(A_NORMAL);
        return;
    }
    /* size, right-aligned */
    char sized[16];
    g_snprintf(sized, sizeof sized, "%*s", zw, size);
    draw_text(y, x, " ", 1, FALSE);
    draw_text(y, x + 1, sized, zw, TRUE);
    attrset(A_NORMAL);
}

void
msglist_draw(Ui *ui)
{
    const Rect *r = &ui->layout.list;
    if (r->h <= 0 || r->w <= 0)
        return;
    attrset(colors_attr(COL_NORMAL));
    if (!ui->folder || ui->view.rows == 0) {
        draw_clear(r->y, r->x, r->h, r->w);
        draw_text(r->y, r->x, ui->folder ? _("(no messages)") : _("(no folder open)"),
                  r->w, TRUE);
        return;
    }
    int sel = msglist_sel_row(ui);
    if (sel >= 0)
        keep_visible(ui, sel);
    for (int i = 0; i < r->h; i++) {
        int row = ui->top + i;
        if (row >= (int)ui->view.rows) {
            attrset(colors_attr(COL_NORMAL));
            draw_clear(r->y + i, r->x, 1, r->w);
            continue;
        }
        draw_row(ui, r->y + i, row, r);
    }
    attrset(A_NORMAL);
}

void
msglist_search(Ui *ui, gboolean ask, gboolean backward)
{
    if (ask || !ui->search_pat) {
        g_autofree char *text = NULL;
        Pattern *p = ui_read_pattern(ui, backward ? _("Reverse search for: ")
                                                  : _("Search for: "), &text);
        if (!p)
            return;
        pattern_free(ui->search_pat);
        ui->search_pat = p;
        g_free(ui->search);
        ui->search = g_steal_pointer(&text);
        ui->search_backward = backward;
    } else if (backward) {
        /* search-opposite: the other way from the last search */
        backward = !ui->search_backward;
    } else {
        backward = ui->search_backward;
    }
    if (!ui->folder)
        return;
    int from = msglist_sel_row(ui);
    g_autoptr(GError) error = NULL;
    int row = view_search(&ui->view, ui->search_pat, from, backward, &error);
    if (error) {
        ui_error(ui, "%s", error->message);
        return;
    }
    if (row < 0) {
        g_autofree char *shown = term_safe(ui->search, -1, TERM_SAFE_DEFAULT);
        ui_error(ui, _("Not found: %s"), shown);
        return;
    }
    if (!backward && row <= from)
        ui_message(ui, _("Search wrapped to the top."));
    else if (backward && row >= from)
        ui_message(ui, _("Search wrapped to the bottom."));
    msglist_select_row(ui, row);
}
