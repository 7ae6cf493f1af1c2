/* The folder pane, opening folders and expunging.  Expunging ($, leaving
 * a folder, quitting; asked first as [general] delete says) moves the
 * messages marked deleted to the Trash: appended and fsynced there before
 * the folder is rewritten, so a crash between the two leaves a copy in
 * both, never in neither.  Inside the Trash (or with trash = none) they go
 * for good. */
#include <config.h>

#include <string.h>

#include "fetch/fetch.h"
#include "ui/private.h"

void
folders_reload(Ui *ui)
{
    g_autoptr(GError) error = NULL;
    GPtrArray *list = store_list_folders(ui->mail_dir, &error);
    if (!list) {
        ui_error(ui, "%s", error->message);
        return;
    }
    if (ui->folders)
        g_ptr_array_unref(ui->folders);
    ui->folders = list;
}

void
folders_draw(Ui *ui)
{
    const Rect *r = &ui->layout.folders;
    if (r->w <= 0)
        return;
    /* Scrolled so the cursor (in the pane) or the open folder shows. */
    int want = ui->pane_focus ? ui->pane_cursor : 0;
    for (guint k = 0; !ui->pane_focus && ui->folders && k < ui->folders->len; k++)
        if (!g_strcmp0(ui->folders->pdata[k], ui->folder_name))
            want = (int)k;
    int first = want >= r->h ? want - r->h + 1 : 0;
    for (int i = 0; i < r->h; i++) {
        int k = first + i;
        const char *name = ui->folders && (guint)k < ui->folders->len
                               ? ui->folders->pdata[k] : NULL;
        gboolean current = name && !g_strcmp0(name, ui->folder_name);
        gboolean cursor = ui->pane_focus ? k == ui->pane_cursor : current;
        attrset(cursor ? colors_attr(COL_INDICATOR)
                       : colors_attr(COL_FOLDER) | (current ? A_BOLD : 0));
        if (name)
            folderpane_draw_row(ui, r->y + i, r->x, r->w, name);
        else
            draw_text(r->y + i, r->x, "", r->w, TRUE);
    }
    attrset(colors_attr(COL_DIVIDER));
    for (int i = 0; i < r->h; i++)
        draw_text(r->y + i, r->x + r->w, "\u2502", 1, FALSE);
    attrset(A_NORMAL);
}

static char *
moved_key(const char *folder, const char *uidl)
{
    return g_strconcat(folder, "\n", uidl, NULL);
}

/* A message of the open folder by where it stands and its Message-ID. */
static char *
here_key(Ui *ui, const StoreMessage *m)
{
    return g_strdup_printf("%s\n%" G_GUINT64_FORMAT "\n%s", ui->folder_name, m->offset,
                           m->message_id ? m->message_id : "");
}

void
ui_note_moved(Ui *ui, guint i)
{
    const StoreMessage *m = store_folder_get(ui->folder, i);
    /* Moved away: its expunge is no deletion, so no copy for the Trash. */
    if (!ui->moved_here)
        ui->moved_here = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(ui->moved_here, here_key(ui, m));
    if (!m->uidl)
        return;
    if (!ui->moved)
        ui->moved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(ui->moved, moved_key(ui->folder_name, m->uidl));
}

/* Is M one whose server copy the user wants deleted once it is deleted
 * here?  Not when it was moved away in this session (the copy lives on). */
static gboolean
wants_server_delete(Ui *ui, const StoreMessage *m)
{
    g_autofree char *key = moved_key(ui->folder_name, m->uidl);
    if (ui->moved && g_hash_table_remove(ui->moved, key))
        return FALSE;
    g_autofree char *account = NULL, *uid = NULL;
    if (!fetch_parse_uidl_header(m->uidl, &account, &uid))
        return FALSE;
    const Account *a = conf_find_account(ui->cfg, account);
    return a && a->delete_when_deleted;
}

/* Drop from LEFT (X-Postie-UIDL values) those that F still holds. */
static void
drop_held(StoreFolder *f, GHashTable *left)
{
    for (guint i = 0, n = store_folder_count(f); i < n && g_hash_table_size(left); i++) {
        const StoreMessage *m = store_folder_get(f, i);
        if (m->uidl)
            g_hash_table_remove(left, m->uidl);
    }
}

/* Drop from LEFT the messages of which a copy still exists in any folder
 * (moved there in an earlier session, or fetched again): they are not
 * deleted here.  When a folder cannot be read, nothing is marked: a
 * server copy kept too long is better than one deleted by mistake. */
static gboolean
drop_living_copies(Ui *ui, GHashTable *left, GError **error)
{
    drop_held(ui->folder, left);
    g_autoptr(GPtrArray) names = store_list_folders(ui->mail_dir, error);
    if (!names)
        return FALSE;
    for (guint i = 0; i < names->len && g_hash_table_size(left); i++) {
        if (!g_strcmp0(names->pdata[i], ui->folder_name))
            continue;
        g_autofree char *path = store_path_for(ui->mail_dir, names->pdata[i], error);
        StoreFolder *f = path ? store_folder_open(path, error) : NULL;
        if (!f)
            return FALSE;
        drop_held(f, left);
        store_folder_close(f);
    }
    return TRUE;
}

/* The user deleted these here: tell fetch, which deletes them on the
 * server at the next fetch (delete_when_deleted).  A failure only costs
 * the server copy staying: reported, not fatal. */
static void
mark_deleted_here(Ui *ui, GPtrArray *expunged)
{
    g_autoptr(GHashTable) left = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < expunged->len; i++) {
        const StoreMessage *m = expunged->pdata[i];
        if (m->uidl && wants_server_delete(ui, m))
            g_hash_table_add(left, m->uidl);
    }
    if (g_hash_table_size(left) == 0)
        return;
    g_autoptr(GError) error = NULL;
    if (!drop_living_copies(ui, left, &error)) {
        ui_error(ui, _("Not deleted on the server: %s"), error->message);
        return;
    }
    GHashTableIter it;
    gpointer uidl;
    g_hash_table_iter_init(&it, left);
    while (g_hash_table_iter_next(&it, &uidl, NULL)) {
        g_autofree char *account = NULL, *uid = NULL;
        if (fetch_parse_uidl_header(uidl, &account, &uid) &&
            !fetch_mark_deleted_here(account, uid, &error)) {
            ui_error(ui, "%s", error->message);
            g_clear_error(&error);
        }
    }
}

static gboolean
was_moved(Ui *ui, const StoreMessage *m)
{
    g_autofree char *key = here_key(ui, m);
    return ui->moved_here && g_hash_table_contains(ui->moved_here, key);
}

/* Forget the moves out of the open folder: it was just rewritten. */
static void
forget_moved_here(Ui *ui)
{
    if (!ui->moved_here)
        return;
    g_autofree char *prefix = g_strconcat(ui->folder_name, "\n", NULL);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, ui->moved_here);
    while (g_hash_table_iter_next(&it, &key, NULL))
        if (g_str_has_prefix(key, prefix))
            g_hash_table_iter_remove(&it);
}

/* Copy the messages marked deleted (not those moved elsewhere) to the
 * Trash; store_copy appends, fsyncs and closes before returning, so the
 * copies are durable before the caller rewrites the folder. */
static gboolean
copy_deleted_to_trash(Ui *ui, guint *n_trashed, GError **error)
{
    const char *trash = ui->cfg->trash;
    *n_trashed = 0;
    if (!trash || !g_strcmp0(ui->folder_name, trash))
        return TRUE;
    g_autoptr(GArray) idx = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < store_folder_count(ui->folder); i++) {
        const StoreMessage *m = store_folder_get(ui->folder, i);
        if ((m->flags & MSG_DELETED) && !was_moved(ui, m))
            g_array_append_val(idx, i);
    }
    if (idx->len == 0)
        return TRUE;
    g_autofree char *path = store_path_for(ui->mail_dir, trash, error);
    if (!path || !store_copy(ui->folder, (const guint *)(void *)idx->data, idx->len, path,
                             FALSE, error)) {
        g_prefix_error(error, _("Nothing expunged: the copy to %s failed: "), trash);
        return FALSE;
    }
    *n_trashed = idx->len;
    return TRUE;
}

guint
ui_count_deleted(Ui *ui)
{
    guint n = 0;
    for (guint i = 0; ui->folder && i < store_folder_count(ui->folder); i++)
        n += (store_folder_get(ui->folder, i)->flags & MSG_DELETED) != 0;
    return n;
}

int
ui_purge_answer(Ui *ui, gboolean sync_key)
{
    guint n = ui_count_deleted(ui);
    const char *mode = ui->cfg->purge ? ui->cfg->purge : "ask-yes";
    if (n == 0)
        return 0;
    if (!strcmp(mode, "yes") || (sync_key && !strcmp(mode, "no")))
        return 1;
    if (!strcmp(mode, "no"))
        return 0;
    gboolean def = !strcmp(mode, "ask-yes");
    g_autofree char *q = g_strdup_printf(g_dngettext(PACKAGE, "Purge %u deleted message? %s ",
                                                     "Purge %u deleted messages? %s ", n),
                                         n, def ? _("([y]/n)") : _("(y/[n])"));
    int k = prompt_choice(ui, q, "yYnN\n");
    if (k == 0)
        return -1;
    if (k == '\n')
        return def;
    return k == 'y' || k == 'Y';
}

gboolean
ui_leave_asking(Ui *ui)
{
    int r = ui_purge_answer(ui, FALSE);
    if (r < 0)
        return FALSE;
    if (r == 0)
        return TRUE;   /* flags are written when the folder is closed */
    g_autoptr(GError) error = NULL;
    guint n = 0, n_trashed = 0;
    if (!ui_expunge_folder(ui, &n, &n_trashed, &error)) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    return TRUE;
}

gboolean
ui_expunge_folder(Ui *ui, guint *n_expunged, guint *n_trashed, GError **error)
{
    GPtrArray *expunged = NULL;
    *n_expunged = 0;
    if (!copy_deleted_to_trash(ui, n_trashed, error))
        return FALSE;
    if (!store_folder_sync(ui->folder, TRUE, &expunged, error))
        return FALSE;
    forget_moved_here(ui);
    if (expunged) {
        *n_expunged = expunged->len;
        mark_deleted_here(ui, expunged);
        g_ptr_array_unref(expunged);   /* frees the copies */
    }
    return TRUE;
}

/* Write the flags of the open folder (no expunge). */
static void
leave_folder(Ui *ui)
{
    if (!ui->folder)
        return;
    g_autoptr(GError) error = NULL;
    if (!store_folder_sync(ui->folder, FALSE, NULL, &error))
        ui_error(ui, "%s", error->message);
    view_clear(&ui->view);
    store_folder_close(ui->folder);
    ui->folder = NULL;
    g_clear_pointer(&ui->preview, rendered_free);
    ui->has_sel = FALSE;
    g_clear_pointer(&ui->sel_msgid, g_free);
}

/* A folder is a name in the mail directory, or a path to any mbox (it
 * has a '/' or starts with '~'), as mutt's -f and c take. */
static gboolean
is_path(const char *name)
{
    return strchr(name, '/') || name[0] == '~';
}

char *
ui_folder_path(Ui *ui, const char *name, GError **error)
{
    if (!is_path(name))
        return store_path_for(ui->mail_dir, name, error);
    if (name[0] == '~' && (name[1] == '/' || name[1] == '\0'))
        return g_build_filename(g_get_home_dir(), name + 1, NULL);
    return g_canonicalize_filename(name, NULL);
}

gboolean
ui_open_folder(Ui *ui, const char *name)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *path = ui_folder_path(ui, name, &error);
    if (!path) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    StoreFolder *f = store_folder_open(path, &error);
    if (!f) {
        ui_error(ui, "%s", error->message);
        return FALSE;
    }
    SortKey sort = ui->view.sort;
    gboolean threads = ui->view.threads, reverse = ui->view.reverse;
    leave_folder(ui);
    ui->folder = f;
    g_free(ui->folder_name);
    ui->folder_name = g_strdup(name);
    folderpane_seen(ui, name);
    view_init(&ui->view, f, sort, threads);
    if (reverse) {
        ui->view.reverse = TRUE;
        view_rebuild(&ui->view, FALSE);
    }
    ui->top = 0;
    ui->preview_top = 0;
    /* Start on the first unread message, else on the last row. */
    int row = (int)ui->view.rows - 1;
    for (guint r = 0; r < ui->view.rows; r++)
        if (!(store_folder_get(f, ui->view.order[r])->flags & (MSG_READ | MSG_DELETED))) {
            row = (int)r;
            break;
        }
    msglist_select_row(ui, row);
    return TRUE;
}

void
ui_close_folder(Ui *ui)
{
    leave_folder(ui);
}

GPtrArray *
folders_complete_names(const char *text, gpointer data)
{
    Ui *ui = data;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; ui->folders && i < ui->folders->len; i++)
        if (g_str_has_prefix(ui->folders->pdata[i], text))
            g_ptr_array_add(out, g_strdup(ui->folders->pdata[i]));
    return out;
}

/* Changing folders also takes an mbox path. */
static GPtrArray *
complete_folder_or_path(const char *text, gpointer data)
{
    if (is_path(text) || text[0] == '.')
        return complete_path(text, NULL);
    return folders_complete_names(text, data);
}

void
folders_change(Ui *ui)
{
    folders_reload(ui);
    g_autofree char *name = prompt_line(ui, _("Open folder or mbox path (Tab completes): "), NULL,
                                        complete_folder_or_path, ui);
    if (!name || !*g_strstrip(name) || !ui_leave_asking(ui))
        return;
    if (ui_open_folder(ui, name)) {
        g_autofree char *safe = term_safe(name, -1, TERM_SAFE_DEFAULT);
        ui_message(ui, g_dngettext(PACKAGE, "Opened %s: %u message.", "Opened %s: %u messages.",
                                   ui->view.n), safe, ui->view.n);
    }
}

/* Open the current folder afresh, keeping the selected message.  Used
 * after a fetch, which may have rewritten the folder (a headers-only
 * message replaced by the whole one): unlike store_folder_refresh, which
 * indexes a replaced file anew, this carries flags changed here and not
 * yet written over to the new index. */
void
ui_reload_folder(Ui *ui)
{
    if (!ui->folder || !ui->folder_name)
        return;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = ui_folder_path(ui, ui->folder_name, &error);
    StoreFolder *f = path ? store_folder_open(path, &error) : NULL;
    if (!f) {
        ui_error(ui, "%s", error->message);
        return;
    }
    /* Flags changed here and not yet written carry over, by Message-ID
     * (the old index may be out of date, so it is never written). */
    GHashTable *flags = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < store_folder_count(ui->folder); i++) {
        const StoreMessage *m = store_folder_get(ui->folder, i);
        if (m->message_id)
            g_hash_table_insert(flags, m->message_id, GUINT_TO_POINTER(m->flags));
    }
    for (guint i = 0; i < store_folder_count(f); i++) {
        const StoreMessage *m = store_folder_get(f, i);
        gpointer old;
        if (!m->message_id ||
            !g_hash_table_lookup_extended(flags, m->message_id, NULL, &old))
            continue;
        guint32 keep = (GPOINTER_TO_UINT(old) & ~(guint32)MSG_PARTIAL) |
                       (m->flags & MSG_PARTIAL);
        if (keep != m->flags)
            store_folder_set_flags(f, i, keep);
    }
    g_hash_table_destroy(flags);
    store_folder_close(ui->folder);
    ui->folder = f;
    ui->view.folder = f;
    view_rebuild(&ui->view, TRUE);
    msglist_reselect(ui);
}
