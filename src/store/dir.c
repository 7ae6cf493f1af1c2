/* The folder directory: one mbox file per folder.  Names come from users,
 * so they are checked before they become paths. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/private.h"

static const char *const default_folders[] = {
    STORE_INBOX, STORE_OUTBOX, STORE_SENT, STORE_DRAFTS, STORE_TRASH,
};

static gboolean
is_default(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(default_folders); i++)
        if (strcmp(name, default_folders[i]) == 0)
            return TRUE;
    return FALSE;
}

gboolean
store_folder_name_valid(const char *name, GError **error)
{
    const char *why = NULL;
    gsize len = name ? strlen(name) : 0;
    if (len == 0)
        why = _("it is empty");
    else if (len > 255)
        why = _("it is longer than 255 bytes");
    else if (name[0] == '.')
        why = _("it starts with '.'");
    else if (strchr(name, '/'))
        why = _("it contains '/'");
    else if (!g_utf8_validate(name, (gssize)len, NULL))
        why = _("it is not valid UTF-8");
    else if (g_str_has_suffix(name, ".lock"))
        why = _("it ends in \".lock\", which is used for lock files");
    else {
        for (const char *p = name; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                why = _("it contains a control character");
                break;
            }
        }
    }
    if (why) {
        g_autofree char *safe = term_safe(name ? name : "", -1, 0);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("\"%s\" is not a valid folder name: %s"), safe, why);
        return FALSE;
    }
    return TRUE;
}

char *
store_path_for(const char *mail_dir, const char *name, GError **error)
{
    if (!store_folder_name_valid(name, error))
        return NULL;
    return g_build_filename(mail_dir, name, NULL);
}

/* Create an empty folder file; fine if it exists when EXIST_OK. */
static gboolean
create_file(const char *path, gboolean exist_ok, GError **error)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) {
        int e = errno;
        if (e == EEXIST) {
            if (exist_ok)
                return TRUE;
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                        _("folder %s already exists"), path);
            return FALSE;
        }
        postie_set_error_errno(error, e, _("create folder"), path);
        return FALSE;
    }
    close(fd);
    return fsync_parent_dir(path, error);
}

gboolean
store_ensure_default_folders(const char *mail_dir, GError **error)
{
    if (!paths_ensure_dir(mail_dir, 0700, error))
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(default_folders); i++) {
        g_autofree char *path = g_build_filename(mail_dir, default_folders[i], NULL);
        if (!create_file(path, TRUE, error))
            return FALSE;
    }
    return TRUE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_utf8_collate(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
store_list_folders(const char *mail_dir, GError **error)
{
    GError *e = NULL;
    GDir *dir = g_dir_open(mail_dir, 0, &e);
    if (!dir) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot read folder directory %s: %s"), mail_dir, e->message);
        g_error_free(e);
        return NULL;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *rest = g_ptr_array_new_with_free_func(g_free);
    gboolean have[G_N_ELEMENTS(default_folders)] = { FALSE };
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        if (!store_folder_name_valid(name, NULL))
            continue;                       /* dot files, lock files, ... */
        g_autofree char *path = g_build_filename(mail_dir, name, NULL);
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        gboolean def = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(default_folders); i++)
            if (strcmp(name, default_folders[i]) == 0)
                have[i] = def = TRUE;
        if (!def)
            g_ptr_array_add(rest, g_strdup(name));
    }
    g_dir_close(dir);
    for (gsize i = 0; i < G_N_ELEMENTS(default_folders); i++)
        if (have[i])
            g_ptr_array_add(out, g_strdup(default_folders[i]));
    g_ptr_array_sort(rest, compare_names);
    for (guint i = 0; i < rest->len; i++)
        g_ptr_array_add(out, g_steal_pointer(&rest->pdata[i]));
    g_ptr_array_free(rest, TRUE);
    return out;
}

gboolean
store_create_folder(const char *mail_dir, const char *name, GError **error)
{
    g_autofree char *path = store_path_for(mail_dir, name, error);
    if (!path || !paths_ensure_dir(mail_dir, 0700, error))
        return FALSE;
    return create_file(path, FALSE, error);
}

static gboolean
must_exist(const char *path, GError **error)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                        _("no folder %s"), path);
        else
            postie_set_error_errno(error, errno, _("stat"), path);
        return FALSE;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s is not a folder file"), path);
        return FALSE;
    }
    return TRUE;
}

gboolean
store_rename_folder(const char *mail_dir, const char *from, const char *to,
                    GError **error)
{
    g_autofree char *src = store_path_for(mail_dir, from, error);
    if (!src)
        return FALSE;
    g_autofree char *dst = store_path_for(mail_dir, to, error);
    if (!dst)
        return FALSE;
    if (is_default(from)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("%s is a standard folder and cannot be renamed"), from);
        return FALSE;
    }
    if (!must_exist(src, error))
        return FALSE;
    /* Lock the folder so no one is appending while it moves. */
    int fd = open(src, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open folder"), src);
        return FALSE;
    }
    StoreLock lock;
    if (!store_lock_current(&lock, src, &fd, O_RDWR, error)) {
        close(fd);
        return FALSE;
    }
    gboolean ok = TRUE;
    /* link + unlink never replaces an existing folder. */
    if (link(src, dst) < 0) {
        int e = errno;
        if (e == EEXIST)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                        _("folder %s already exists"), dst);
        else
            postie_set_error_errno(error, e, _("rename folder to"), dst);
        ok = FALSE;
    } else if (unlink(src) < 0) {
        postie_set_error_errno(error, errno, _("remove old name"), src);
        unlink(dst);
        ok = FALSE;
    }
    if (ok) {
        g_autofree char *cache = store_cache_path(src);
        unlink(cache);
        ok = fsync_parent_dir(dst, error);
    }
    store_unlock(&lock);
    close(fd);
    return ok;
}

gboolean
store_delete_folder(const char *mail_dir, const char *name, GError **error)
{
    g_autofree char *path = store_path_for(mail_dir, name, error);
    if (!path)
        return FALSE;
    if (is_default(name)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("%s is a standard folder and cannot be deleted"), name);
        return FALSE;
    }
    if (!must_exist(path, error))
        return FALSE;
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open folder"), path);
        return FALSE;
    }
    StoreLock lock;
    if (!store_lock_current(&lock, path, &fd, O_RDWR, error)) {
        close(fd);
        return FALSE;
    }
    g_autofree char *cache = store_cache_path(path);
    gboolean ok = TRUE;
    if (unlink(path) < 0) {
        postie_set_error_errno(error, errno, _("delete folder"), path);
        ok = FALSE;
    } else {
        unlink(cache);
        ok = fsync_parent_dir(path, error);
    }
    store_unlock(&lock);
    close(fd);
    return ok;
}

gboolean
store_copy(StoreFolder *src, const guint *idx, guint n, const char *dest_path,
           gboolean move, GError **error)
{
    for (guint k = 0; k < n; k++)
        if (idx[k] >= store_folder_count(src)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                        _("%s: no message %u"), src->path, idx[k] + 1);
            return FALSE;
        }
    char *a_real = realpath(src->path, NULL), *b_real = realpath(dest_path, NULL);
    gboolean same = a_real && b_real && strcmp(a_real, b_real) == 0;
    free(a_real);
    free(b_real);
    if (same) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("cannot copy messages of %s into the same folder"), src->path);
        return FALSE;
    }
    StoreAppender *a = store_appender_open(dest_path, error);
    if (!a)
        return FALSE;
    for (guint k = 0; k < n; k++) {
        GBytes *b = store_folder_read(src, idx[k], error);
        if (!b) {
            store_appender_abort(a);
            return FALSE;
        }
        gsize len;
        const char *data = g_bytes_get_data(b, &len);
        guint32 flags = store_folder_get(src, idx[k])->flags & ~(guint32)MSG_DELETED;
        gboolean ok = store_appender_add(a, data, len, flags, error);
        g_bytes_unref(b);
        if (!ok) {
            store_appender_abort(a);
            return FALSE;
        }
    }
    /* Only once the copies are on disk may the originals be marked. */
    if (!store_appender_close(a, error))
        return FALSE;
    if (move)
        for (guint k = 0; k < n; k++)
            store_folder_set_flags(src, idx[k],
                                   store_folder_get(src, idx[k])->flags | MSG_DELETED);
    return TRUE;
}
