/* The send journal: which Outbox messages the server has accepted during
 * the flush that is running, written (and fsynced) the moment the server's
 * final reply arrives, before libesmtp even reads it.
 *
 * Why: a flush saves its results (Sent, then the Outbox) only after the
 * session.  Killed before that, every message the server had already
 * accepted would go again; with the journal, the next flush files them in
 * Sent without sending, so a kill costs at most the one message whose
 * reply had arrived but was not yet written down.
 *
 * The file is $XDG_STATE_HOME/postie/send-journal, one line per accepted
 * message: the SHA-256 (hex) of its Outbox copy.  It is emptied once the
 * results are saved.  Only the flush holding the send lock touches it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "send/private.h"
#include "util/util.h"

struct SendJournal {
    char *path;
    int fd;
};

static char *
journal_path(void)
{
    g_autofree char *dir = paths_state_dir();
    return g_build_filename(dir, "send-journal", NULL);
}

char *
send_journal_key(const char *data, gsize len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
}

SendJournal *
send_journal_open(GError **error)
{
    g_autofree char *dir = paths_state_dir();
    if (!paths_ensure_dir(dir, 0700, error))
        return NULL;
    SendJournal *j = g_new0(SendJournal, 1);
    j->path = journal_path();
    j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (j->fd < 0) {
        postie_set_error_errno(error, errno, "open", j->path);
        g_free(j->path);
        g_free(j);
        return NULL;
    }
    return j;
}

void
send_journal_close(SendJournal *j)
{
    if (!j)
        return;
    close(j->fd);
    g_free(j->path);
    g_free(j);
}

gboolean
send_journal_add(SendJournal *j, const char *key, GError **error)
{
    g_autofree char *line = g_strconcat(key, "\n", NULL);
    if (!write_all(j->fd, line, strlen(line), j->path, error))
        return FALSE;
    if (fdatasync(j->fd) != 0) {
        postie_set_error_errno(error, errno, "fsync", j->path);
        return FALSE;
    }
    return TRUE;
}

GHashTable *
send_journal_read(SendJournal *j, GError **error)
{
    GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents(j->path, &text, &len, &e)) {
        g_propagate_error(error, g_steal_pointer(&e));
        g_hash_table_unref(keys);
        return NULL;
    }
    /* A torn last line (killed while writing) is not a key: ignored. */
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && l[1]; l++) {
        if (strlen(*l) != 64)
            continue;
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(keys, *l));
        g_hash_table_insert(keys, g_strdup(*l), GUINT_TO_POINTER(n + 1));
    }
    return keys;
}

gboolean
send_journal_clear(SendJournal *j, GError **error)
{
    if (ftruncate(j->fd, 0) != 0 || fsync(j->fd) != 0) {
        postie_set_error_errno(error, errno, "truncate", j->path);
        return FALSE;
    }
    return TRUE;
}
