/* The folder pane's numbers and cursor: unread and total messages per
 * folder, kept up to date from the files (a folder is read again only
 * when its size or times changed, through the index cache), new-mail
 * notice (bell and/or a mark, [general] new_mail), and moving the cursor
 * into the pane to open a folder from it. */
#include <config.h>

#include <string.h>
#include <sys/stat.h>

#include "ui/private.h"

typedef struct {
    guint64 size;
    gint64 mtime_ns, ctime_ns;
    guint unread, total;
    gboolean known;
} FolderCount;

static void
count_folder(StoreFolder *f, FolderCount *c)
{
    c->total = store_folder_count(f);
    c->unread = 0;
    for (guint i = 0; i < c->total; i++) {
        guint32 fl = store_folder_get(f, i)->flags;
        c->unread += !(fl & (MSG_READ | MSG_DELETED));
    }
    c->known = TRUE;
}

/* New mail in NAME: ring and/or mark, as [general] new_mail says. */
static void
notice_new_mail(Ui *ui, const char *name)
{
    const char *how = ui->cfg->new_mail ? ui->cfg->new_mail : "mark";
    if (!strcmp(how, "bell") || !strcmp(how, "both"))
        beep();
    /* the open folder shows its new mail itself */
    if ((!strcmp(how, "mark") || !strcmp(how, "both")) && g_strcmp0(name, ui->folder_name)) {
        if (!ui->new_mail_in)
            ui->new_mail_in = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_add(ui->new_mail_in, g_strdup(name));
    }
}

gboolean
folderpane_update(Ui *ui)
{
    if (!ui->folder_counts)
        ui->folder_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    gboolean changed = FALSE;
    for (guint k = 0; ui->folders && k < ui->folders->len; k++) {
        const char *name = ui->folders->pdata[k];
        FolderCount *c = g_hash_table_lookup(ui->folder_counts, name);
        if (!c) {
            c = g_new0(FolderCount, 1);
            g_hash_table_insert(ui->folder_counts, g_strdup(name), c);
        }
        FolderCount now = *c;
        if (ui->folder && !g_strcmp0(name, ui->folder_name)) {
            count_folder(ui->folder, &now);
        } else {
            g_autofree char *path = store_path_for(ui->mail_dir, name, NULL);
            struct stat st;
            if (!path || stat(path, &st) != 0)
                continue;
            gint64 m = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
            gint64 ct = (gint64)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
            if (c->known && c->size == (guint64)st.st_size && c->mtime_ns == m &&
                c->ctime_ns == ct)
                continue;
            StoreFolder *f = store_folder_open(path, NULL);
            if (!f)
                continue;
            count_folder(f, &now);
            store_folder_close(f);
            now.size = (guint64)st.st_size;
            now.mtime_ns = m;
            now.ctime_ns = ct;
        }
        if (c->known && now.total > c->total && now.unread > c->unread)
            notice_new_mail(ui, name);
        if (!c->known || now.unread != c->unread || now.total != c->total)
            changed = TRUE;
        *c = now;
    }
    return changed;
}

/* The open folder's numbers follow its flags at once (read in the pager,
 * deleted, marked read), not at the next refresh of the files. */
void
folderpane_recount_open(Ui *ui)
{
    FolderCount *c = ui->folder && ui->folder_counts && ui->folder_name
        ? g_hash_table_lookup(ui->folder_counts, ui->folder_name) : NULL;
    if (c)
        count_folder(ui->folder, c);
}

gboolean
folderpane_tick(Ui *ui)
{
    if (!ui->keys || !ui->mail_dir)
        return FALSE;   /* the first-run form: no folders yet */
    guint before = ui->folders ? ui->folders->len : 0;
    folders_reload(ui);   /* folders made elsewhere show at once */
    gboolean changed = (ui->folders ? ui->folders->len : 0) != before;
    return folderpane_update(ui) || changed;
}

void
folderpane_seen(Ui *ui, const char *name)
{
    if (ui->new_mail_in)
        g_hash_table_remove(ui->new_mail_in, name);
}

/* " Name      3/120": the counts right-aligned, the name clipped. */
void
folderpane_draw_row(Ui *ui, int y, int x, int w, const char *name)
{
    FolderCount *c = ui->folder_counts ? g_hash_table_lookup(ui->folder_counts, name) : NULL;
    char counts[32] = "";
    if (c && c->known)
        g_snprintf(counts, sizeof counts, "%u/%u", c->unread, c->total);
    gboolean mark = ui->new_mail_in && g_hash_table_contains(ui->new_mail_in, name);
    int cw = (int)strlen(counts);
    if (cw + 4 > w)
        cw = 0;
    draw_text(y, x, mark ? "*" : " ", 1, FALSE);
    draw_untrusted(y, x + 1, name, w - 1 - (cw ? cw + 1 : 0), TRUE);
    if (cw)
        draw_text(y, x + w - cw, counts, cw, FALSE);
}

/* The cursor in the folder pane: up and down move, Enter (or the right
 * arrow) opens the folder, q, Esc or the folder-pane key go back. */
void
folders_focus(Ui *ui)
{
    folders_reload(ui);
    if (!ui->folders || ui->folders->len == 0)
        return;
    gboolean was_shown = ui->show_folders;
    ui->show_folders = TRUE;
    ui->pane_cursor = 0;
    for (guint k = 0; k < ui->folders->len; k++)
        if (!g_strcmp0(ui->folders->pdata[k], ui->folder_name))
            ui->pane_cursor = (int)k;
    ui->pane_focus = TRUE;
    ui_message(ui, _("Folders: Up/Down choose, Enter opens, q goes back."));
    for (;;) {
        ui_redraw(ui);
        int key = ui_getkey(ui);
        if (key == (UI_KEY_FUNC | KEY_EXIT))
            break;
        if (key == (UI_KEY_FUNC | KEY_RESIZE) || key == UI_KEY_EVENT)
            continue;
        UiAction a = keymap_lookup(ui->keys, key);
        int n = ui->folders ? (int)ui->folders->len : 0;
        if (n == 0)
            break;
        ui->pane_cursor = MIN(ui->pane_cursor, n - 1);   /* the list may shrink */
        if (a == ACT_DOWN || a == ACT_NEXT_UNREAD)
            ui->pane_cursor = MIN(ui->pane_cursor + 1, n - 1);
        else if (a == ACT_UP)
            ui->pane_cursor = MAX(ui->pane_cursor - 1, 0);
        else if (a == ACT_FIRST)
            ui->pane_cursor = 0;
        else if (a == ACT_LAST)
            ui->pane_cursor = n - 1;
        else if (a == ACT_OPEN || key == (UI_KEY_FUNC | KEY_RIGHT)) {
            g_autofree char *name = g_strdup(ui->folders->pdata[ui->pane_cursor]);
            g_clear_pointer(&ui->message, g_free);
            if (ui_open_folder(ui, name)) {
                g_autofree char *safe = term_safe(name, -1, TERM_SAFE_DEFAULT);
                ui_message(ui, _("Opened %s: %u messages."), safe, ui->view.n);
            }
            break;
        } else if (a == ACT_QUIT || a == ACT_FOLDER_PANE || key == 27 || key == 7) {
            g_clear_pointer(&ui->message, g_free);
            ui->show_folders = was_shown;
            break;
        }
    }
    ui->pane_focus = FALSE;
}
