/* Saving and opening attachments.  Names come from the sender: saving
 * goes through safe_name/safe_create (inside DIR, never overwriting);
 * opening writes a private temporary file whose name holds only harmless
 * characters, because a user's mailcap command may hand it to a shell. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mime/private.h"
#include "util/safename.h"

char *
mime_attachment_save(const MimeAttachment *a, const char *dir, GError **error)
{
    g_autofree char *name = safe_name(a->name, "attachment");
    char *path = NULL;
    int fd = safe_create(dir, name, &path, error);
    if (fd < 0)
        return NULL;
    gsize len = 0;
    const void *data = a->data ? g_bytes_get_data(a->data, &len) : NULL;
    gboolean ok = write_all(fd, data ? data : "", len, path, error);
    if (ok && fsync(fd) != 0) {
        postie_set_error_errno(error, errno, "fsync", path);
        ok = FALSE;
    }
    if (close(fd) != 0 && ok) {
        postie_set_error_errno(error, errno, "close", path);
        ok = FALSE;
    }
    if (!ok) {
        unlink(path);
        g_free(path);
        return NULL;
    }
    return path;
}

/* Only [A-Za-z0-9._-]: safe even inside a shell string. */
static char *
plain_name(const char *name)
{
    g_autofree char *safe = safe_name(name, "attachment");
    GString *s = g_string_new(NULL);
    for (const char *p = safe; *p; p++) {
        char c = *p;
        g_string_append_c(s, (g_ascii_isalnum(c) || c == '.' || c == '-' || c == '_') ? c : '_');
    }
    while (s->len > 0 && s->str[0] == '.')
        g_string_erase(s, 0, 1);
    if (s->len == 0)
        g_string_assign(s, "attachment");
    return g_string_free(s, FALSE);
}

gboolean
mime_attachment_open(const MimeAttachment *a, const char *const *mailcap_files,
                     char **output, GError **error)
{
    g_autoptr(GPtrArray) mc = mime_mailcap_load(mailcap_files);
    /* A hostile type is looked up (and given to %t) as octet-stream. */
    const char *type = mime_mailcap_safe_type(a->content_type);
    const MimeMailcapEntry *e = mime_mailcap_find(mc, type, FALSE);
    if (!e) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND,
                    _("no mailcap entry for type %s (see ~/.mailcap)"), type);
        return FALSE;
    }
    g_autofree char *dir = g_dir_make_tmp("postie-XXXXXX", error);  /* mode 0700 */
    if (!dir)
        return FALSE;
    g_autofree char *name = plain_name(a->name);
    /* nametemplate=%s.html: some viewers go by the extension. */
    const char *t = e->nametemplate ? strstr(e->nametemplate, "%s") : NULL;
    if (t && t[2]) {
        g_autofree char *suffix = plain_name(t + 2);
        if (!g_str_has_suffix(name, suffix)) {
            char *n = g_strconcat(name, t[2] == '.' ? "." : "", suffix, NULL);
            g_free(name);
            name = n;
        }
    }
    char *path = NULL;
    gboolean ok = FALSE;
    int fd = safe_create(dir, name, &path, error);
    if (fd >= 0) {
        gsize len = 0;
        const void *data = a->data ? g_bytes_get_data(a->data, &len) : NULL;
        ok = write_all(fd, data ? data : "", len, path, error);
        close(fd);
    }
    if (ok) {
        g_auto(GStrv) argv = mime_mailcap_argv(e->command, path, type,
                                               (const char *const *)a->params, error);
        ok = argv != NULL;
        if (ok) {
            gboolean capture = e->copiousoutput && output;
            g_autofree char *out = NULL;
            int status = 0;
            ok = g_spawn_sync(NULL, argv, NULL,
                              G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                              spawn_child_setup, NULL, capture ? &out : NULL, NULL,
                              &status, error) &&
                 g_spawn_check_wait_status(status, error);
            if (ok && capture)
                *output = term_safe(out, -1, TERM_SAFE_KEEP_NEWLINES);
        }
    }
    if (path) {
        unlink(path);
        g_free(path);
    }
    g_rmdir(dir);
    return ok;
}
