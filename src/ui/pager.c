/* The full-screen pager: the selected message's display lines, scrolled
 * by line and page; the same keys for moving to the next or previous
 * message as in the list.  As in mutt, d u r g f s F N | act here and the
 * pager stays (d and s move on to the next message); / and n search the
 * text and mark the matches; h shows every header line; ? lists the
 * pager's keys. */
#include <config.h>

#include <string.h>

#include "ui/private.h"

/* Actions that work on the message and leave the pager open. */
static gboolean
stays(UiAction a)
{
    switch (a) {
    case ACT_DELETE: case ACT_UNDELETE: case ACT_REPLY: case ACT_REPLY_ALL:
    case ACT_FORWARD: case ACT_SAVE: case ACT_FLAG: case ACT_TOGGLE_READ:
    case ACT_PIPE: case ACT_ADD_SENDER: case ACT_ATTACHMENTS: case ACT_TAG:
    case ACT_MARK_DOWNLOAD: case ACT_MARK_SERVER_DELETE: case ACT_NEXT_UNREAD:
        return TRUE;
    default:
        return FALSE;
    }
}

static gboolean
is_ascii(const char *s)
{
    for (; *s; s++)
        if (*s & 0x80)
            return FALSE;
    return TRUE;
}

/* Where NEEDLE (lower case when ASCII) is in ROW; NULL if not. */
static const char *
find_in_row(const char *row, const char *needle)
{
    gboolean icase = is_ascii(needle);
    return bodyscan_find(row, strlen(row), needle, strlen(needle), icase);
}

/* The next row after FROM (before it when BACKWARD) holding the search,
 * wrapping; -1 if none. */
static int
find_row(Rendered *r, const char *needle, int from, gboolean backward)
{
    int n = (int)r->rows->len;
    for (int k = 1; k <= n; k++) {
        int row = backward ? ((from - k) % n + n) % n : (from + k) % n;
        if (find_in_row(r->rows->pdata[row], needle))
            return row;
    }
    return -1;
}

/* Draw the matches on the visible rows in reverse video. */
static void
mark_matches(Rendered *r, const Rect *rect, int top, const char *needle)
{
    gsize nl = strlen(needle);
    for (int i = 0; i < rect->h && top + i < (int)r->rows->len; i++) {
        const char *row = r->rows->pdata[top + i];
        for (const char *p = row; (p = find_in_row(p, needle)); p += nl) {
            g_autofree char *before = g_strndup(row, (gsize)(p - row));
            g_autofree char *hit = g_strndup(p, nl);
            int x = draw_width(before);
            if (x >= rect->w)
                break;
            attrset(A_REVERSE | A_BOLD);
            draw_text(rect->y + i, rect->x + x, hit, rect->w - x, FALSE);
        }
    }
    attrset(A_NORMAL);
}

static void
pager_search(Ui *ui, Rendered *r, int *top, gboolean ask, gboolean backward)
{
    if (ask) {
        g_autofree char *q = prompt_line(ui, backward ? _("Search backwards in the message: ")
                                                      : _("Search in the message: "),
                                         NULL, NULL, NULL);
        if (!q || !*q)
            return;
        g_free(ui->pager_search);
        ui->pager_search = is_ascii(q) ? g_ascii_strdown(q, -1) : g_strdup(q);
    }
    if (!ui->pager_search) {
        ui_error(ui, _("No search yet."));
        return;
    }
    int row = find_row(r, ui->pager_search, *top, backward);
    if (row < 0) {
        g_autofree char *shown = term_safe(ui->pager_search, -1, TERM_SAFE_DEFAULT);
        ui_error(ui, _("Not found: %s"), shown);
        return;
    }
    if ((!backward && row <= *top) || (backward && row >= *top))
        ui_message(ui, _("Search wrapped around."));
    *top = row;
}

static void
pager_help(Ui *ui)
{
    static const UiAction acts[] = {
        ACT_DOWN, ACT_UP, ACT_SEARCH, ACT_SEARCH_REVERSE, ACT_SEARCH_NEXT,
        ACT_SEARCH_OPPOSITE, ACT_TOGGLE_HEADERS, ACT_DELETE, ACT_UNDELETE,
        ACT_REPLY, ACT_REPLY_ALL, ACT_FORWARD, ACT_SAVE, ACT_FLAG, ACT_TOGGLE_READ,
        ACT_PIPE, ACT_TAG, ACT_NEXT_UNREAD, ACT_ATTACHMENTS, ACT_ADD_SENDER,
        ACT_MARK_DOWNLOAD, ACT_MARK_SERVER_DELETE, ACT_QUIT, ACT_HELP,
    };
    static const char *const fixed[][2] = {
        { "<Space>, <PageDown>", N_("next page (at the end: next message)") },
        { "-, b, <PageUp>", N_("previous page") },
        { "<Down>, <Enter>", N_("one line down") },
        { "<Up>", N_("one line up") },
        { "<Home>, <End>", N_("top or end of the message") },
    };
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(lines, g_strdup(_("Pager keys (other keys go back to the list and act there):")));
    for (gsize i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(lines, g_strdup_printf("%-22s %s", fixed[i][0], _(fixed[i][1])));
    for (gsize i = 0; i < G_N_ELEMENTS(acts); i++) {
        const ActionInfo *info = keymap_action_info(acts[i]);
        g_autofree char *keys = keymap_keys_for(ui->keys, acts[i]);
        const char *help = _(info->help);
        if (acts[i] == ACT_DOWN)
            help = _("next message");
        else if (acts[i] == ACT_UP)
            help = _("previous message");
        else if (acts[i] == ACT_QUIT)
            help = _("back to the list");
        else if (acts[i] == ACT_HELP)
            help = _("these keys");
        GString *l = g_string_new(keys[0] ? keys : "-");
        for (int p = draw_width(l->str); p < 23; p++)
            g_string_append_c(l, ' ');
        g_string_append_printf(l, "%-20s %s", info->name, help);
        g_ptr_array_add(lines, g_string_free(l, FALSE));
    }
    help_show(ui, lines);
}

void
pager_run(Ui *ui)
{
    int top = 0;
    guint64 shown_offset = G_MAXUINT64;   /* the message last marked read */
    for (;;) {
        preview_sync(ui);
        Rendered *r = ui->preview;
        if (!r)
            return;
        const StoreMessage *cur = msglist_selected(ui);
        if (cur && cur->offset != shown_offset) {
            /* Opening marks read once; N in the pager may undo it. */
            shown_offset = cur->offset;
            top = 0;
            if (!(cur->flags & MSG_READ))
                store_folder_set_flags(ui->folder, ui->sel_idx,
                                       (cur->flags | MSG_READ) & ~(guint32)MSG_OLD);
        }
        Rect rect = { 1, 0, LINES - 3, COLS };
        if (rect.h < 1)
            rect.h = 1;
        rendered_wrap(r, rect.w);
        int rows = (int)r->rows->len;
        top = CLAMP(top, 0, MAX(rows - rect.h, 0));

        erase();
        layout_compute(&ui->layout, LINES, COLS, ui->show_folders, ui->preview_mode,
                       ui->preview_percent);
        attrset(colors_attr(COL_HINT));
        g_autofree char *kq = keymap_first_key(ui->keys, ACT_QUIT);
        g_autofree char *kr = keymap_first_key(ui->keys, ACT_REPLY);
        g_autofree char *kh = keymap_first_key(ui->keys, ACT_HELP);
        g_autofree char *hint = g_strdup_printf(_("%s:Back  <Space>:Page  j/k:Message  %s:Reply  %s:Help"),
                                                kq, kr, kh);
        draw_text(0, 0, hint, COLS, TRUE);
        attrset(A_NORMAL);
        rendered_draw(r, &rect, top);
        if (ui->pager_search)
            mark_matches(r, &rect, top, ui->pager_search);
        attrset(colors_attr(COL_STATUS));
        int pct = rows <= rect.h ? 100 : (int)((gint64)MIN(top + rect.h, rows) * 100 / rows);
        const StoreMessage *m = msglist_selected(ui);
        g_autofree char *subj = term_safe(m && m->subject ? m->subject : "", -1, TERM_SAFE_DEFAULT);
        g_autofree char *st = g_strdup_printf(_("-- pager: #%u %s (%d%%) --"),
                                              m ? ui->sel_idx + 1 : 0, subj, pct);
        draw_text(LINES - 2, 0, st, COLS, TRUE);
        attrset(A_NORMAL);
        message_draw(ui);
        refresh();

        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            return;
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        g_clear_pointer(&ui->message, g_free);
        UiAction a = keymap_lookup(ui->keys, key);
        /* In the pager, space pages, arrows scroll lines, j/k change message. */
        if (key == ' ' || key == (UI_KEY_FUNC | KEY_NPAGE)) {
            if (top + rect.h >= rows) {
                int row = msglist_sel_row(ui);
                if (row + 1 < (int)ui->view.rows)
                    msglist_select_row(ui, row + 1);
            } else
                top += rect.h - 1;
        } else if (key == '-' || key == (UI_KEY_FUNC | KEY_PPAGE) || key == 'b') {
            top -= rect.h - 1;
        } else if (key == (UI_KEY_FUNC | KEY_DOWN) || key == '\n' || key == '\r') {
            top++;
        } else if (key == (UI_KEY_FUNC | KEY_UP)) {
            top--;
        } else if (key == (UI_KEY_FUNC | KEY_HOME)) {
            top = 0;
        } else if (key == (UI_KEY_FUNC | KEY_END)) {
            top = rows;
        } else if (a == ACT_QUIT || a == ACT_OPEN || key == 27) {
            return;
        } else if (a == ACT_DOWN || a == ACT_UP) {
            int row = msglist_sel_row(ui) + (a == ACT_DOWN ? 1 : -1);
            if (row >= 0 && row < (int)ui->view.rows)
                msglist_select_row(ui, row);
            else
                ui_message(ui, a == ACT_DOWN ? _("This is the last message.")
                                             : _("This is the first message."));
        } else if (a == ACT_HELP) {
            pager_help(ui);
        } else if (a == ACT_SEARCH || a == ACT_SEARCH_REVERSE) {
            pager_search(ui, r, &top, TRUE, a == ACT_SEARCH_REVERSE);
            ui->pager_backward = a == ACT_SEARCH_REVERSE;
        } else if (a == ACT_SEARCH_NEXT || a == ACT_SEARCH_OPPOSITE) {
            pager_search(ui, r, &top, FALSE,
                         a == ACT_SEARCH_NEXT ? ui->pager_backward : !ui->pager_backward);
        } else if (a == ACT_TOGGLE_HEADERS) {
            ui->full_headers = !ui->full_headers;
            top = 0;
        } else if (stays(a)) {
            ui_run_action(ui, a);
            if (!msglist_selected(ui))
                return;   /* nothing left to show */
        } else if (a != ACT_NONE) {
            /* Other actions (change folder, sort, ...) are the list's:
             * leave and let it run there. */
            ui->pending_action = a;
            return;
        }
    }
}
