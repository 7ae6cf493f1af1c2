/* What the user asked for between fetches ("delete this on the server",
 * "download the rest of this", "the local copy was expunged"), kept in an
 * append-only journal beside the records so that asking never waits for a
 * running fetch.  Line format: "S UID\n", S a UidlState letter. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fetch/fetch.h"
#include "fetch/private.h"
#include "util/util.h"

static int
lock_marks(const char *records_path, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(records_path);
    if (!paths_ensure_dir(dir, 0700, error))
        return -1;
    g_autofree char *lock = g_strconcat(records_path, ".marks.lock", NULL);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open"), lock);
        return -1;
    }
    /* Held only for a few small writes, so waiting is fine. */
    while (flock(fd, LOCK_EX) < 0) {
        if (errno != EINTR) {
            postie_set_error_errno(error, errno, _("lock"), lock);
            close(fd);
            return -1;
        }
    }
    return fd;
}

static gboolean
append_file(const char *path, const char *data, gsize len, GError **error)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open"), path);
        return FALSE;
    }
    if (!write_all(fd, data, len, path, error)) {
        close(fd);
        return FALSE;
    }
    if (fsync(fd) < 0) {
        postie_set_error_errno(error, errno, _("sync"), path);
        close(fd);
        return FALSE;
    }
    if (close(fd) < 0) {
        postie_set_error_errno(error, errno, _("close"), path);
        return FALSE;
    }
    return fsync_parent_dir(path, error);
}

gboolean
marks_append(const char *records_path, char state, const char *uid,
             GError **error)
{
    if (!uidl_valid(uid)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("not a valid UID: %s"), uid);
        return FALSE;
    }
    int lk = lock_marks(records_path, error);
    if (lk < 0)
        return FALSE;
    g_autofree char *path = g_strconcat(records_path, ".marks", NULL);
    g_autofree char *line = g_strdup_printf("%c %s\n", state, uid);
    gboolean ok = append_file(path, line, strlen(line), error);
    close(lk);
    return ok;
}

static void
add_lines(GPtrArray *out, const char *text, gsize len)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    (void)len;
    for (char **l = lines; *l; l++) {
        /* A torn last line (crash while appending) is just skipped. */
        if (strlen(*l) >= 3 && (*l)[1] == ' ' && strchr("RGX", (*l)[0]) &&
            (*l)[0] && uidl_valid(*l + 2))
            g_ptr_array_add(out, g_strdup(*l));
    }
}

GPtrArray *
marks_take(const char *records_path, GError **error)
{
    int lk = lock_marks(records_path, error);
    if (lk < 0)
        return NULL;
    g_autofree char *path = g_strconcat(records_path, ".marks", NULL);
    g_autofree char *applying = g_strconcat(records_path, ".marks.applying", NULL);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *text = NULL;
    gsize len = 0;
    gboolean ok = TRUE;

    if (g_file_get_contents(path, &text, &len, NULL)) {
        if (g_file_test(applying, G_FILE_TEST_EXISTS)) {
            /* A previous fetch took marks and stopped before saving. */
            ok = append_file(applying, text, len, error) &&
                 (unlink(path) == 0 || errno == ENOENT);
        } else if (rename(path, applying) < 0) {
            postie_set_error_errno(error, errno, _("rename"), path);
            ok = FALSE;
        } else {
            ok = fsync_parent_dir(applying, error);
        }
    }
    g_clear_pointer(&text, g_free);
    if (ok && g_file_get_contents(applying, &text, &len, NULL))
        add_lines(out, text, len);
    close(lk);
    if (!ok) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}

gboolean
marks_done(const char *records_path, GError **error)
{
    g_autofree char *applying = g_strconcat(records_path, ".marks.applying", NULL);
    if (unlink(applying) < 0 && errno != ENOENT) {
        postie_set_error_errno(error, errno, _("remove"), applying);
        return FALSE;
    }
    return TRUE;
}

void
marks_apply(GHashTable *section, const char *mark)
{
    char state = mark[0];
    UidlRecord *r = g_hash_table_lookup(section, mark + 2);
    if (!r)
        return;              /* no longer on the server: nothing to do */
    switch (state) {
    case UIDL_DELETED_HERE:
        /* Only copies we hold count; an in-flight one is resolved later. */
        if (r->state == UIDL_DOWNLOADED || r->state == UIDL_HEADERS ||
            r->state == UIDL_WANT_BODY || r->state == UIDL_WANT_DELETE)
            r->state = UIDL_DELETED_HERE;
        break;
    case UIDL_WANT_BODY:
        if (r->state == UIDL_HEADERS || r->state == UIDL_WANT_DELETE)
            r->state = UIDL_WANT_BODY;
        break;
    case UIDL_WANT_DELETE:
        if (r->state == UIDL_HEADERS || r->state == UIDL_WANT_BODY ||
            r->state == UIDL_DOWNLOADED || r->state == UIDL_DELETED_HERE)
            r->state = UIDL_WANT_DELETE;
        break;
    default:
        break;
    }
}

/* ---- the public requests (fetch.h) -------------------------------------- */

static gboolean
mark_public(const char *account, char state, const char *uid, GError **error)
{
    g_autofree char *path = uidls_path_for(account);
    return marks_append(path, state, uid, error);
}

gboolean
fetch_mark_deleted_here(const char *account, const char *uid, GError **error)
{
    return mark_public(account, UIDL_DELETED_HERE, uid, error);
}

gboolean
fetch_mark_download(const char *account, const char *uid, GError **error)
{
    return mark_public(account, UIDL_WANT_BODY, uid, error);
}

gboolean
fetch_mark_delete_on_server(const char *account, const char *uid,
                            GError **error)
{
    return mark_public(account, UIDL_WANT_DELETE, uid, error);
}

gboolean
fetch_parse_uidl_header(const char *value, char **account, char **uid)
{
    g_autofree char *v = g_strstrip(g_strdup(value ? value : ""));
    char *sp = strrchr(v, ' ');
    if (!sp || sp == v || !uidl_valid(sp + 1))
        return FALSE;
    *sp = '\0';
    g_strchomp(v);
    if (*v == '\0')
        return FALSE;
    *account = g_strdup(v);
    *uid = g_strdup(sp + 1);
    return TRUE;
}
