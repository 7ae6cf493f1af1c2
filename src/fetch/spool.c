/* A message too large to hold in memory on its way to a folder.  The
 * pieces the POP3 layer hands over are prepared (message_prep_*) and
 * written to an unlinked temporary file in the mail directory (the same
 * disk as the folders, never a tmpfs); the store later copies that file
 * into the folder in pieces.  Until then nothing is recorded, so the
 * order of fetch.h is kept: the file is complete before the in-flight
 * record, the append and fsync come after it. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fetch/private.h"
#include "util/util.h"

#define SPOOL_FLUSH ((gsize) 1024 * 1024)
/* The start of the raw message kept for the filters (its header block). */
#define SPOOL_HEAD ((gsize) 1024 * 1024)

struct Spool {
    int fd;
    char *dir;               /* for errors */
    guint num;
    Sha256 *raw_sum;         /* the content identity (message_digest_uid) */
    char *raw_hex;           /* RAW_SUM once finished */
    guint64 raw_len;
    MessagePrep prep;
    GString *buf;            /* prepared bytes not written yet */
    GString *raw_head;       /* the first SPOOL_HEAD raw bytes */
};

static int
open_unlinked(const char *dir, GError **error)
{
    int fd;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    g_autofree char *tmpl = g_build_filename(dir, ".postie-spool-XXXXXX", NULL);
    fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("create a temporary file in"), dir);
        return -1;
    }
    unlink(tmpl);
    return fd;
}

Spool *
spool_new(const char *dir, guint num, GError **error)
{
    int fd = open_unlinked(dir, error);
    if (fd < 0)
        return NULL;
    Spool *s = g_new0(Spool, 1);
    s->fd = fd;
    s->dir = g_strdup(dir);
    s->num = num;
    s->raw_sum = sha256_new();
    message_prep_init(&s->prep);
    s->buf = g_string_sized_new(SPOOL_FLUSH + 64 * 1024);
    s->raw_head = g_string_new(NULL);
    return s;
}

guint
spool_num(const Spool *s)
{
    return s->num;
}

int
spool_fd(const Spool *s)
{
    return s->fd;
}

guint64
spool_raw_length(const Spool *s)
{
    return s->raw_len;
}

static gboolean
flush(Spool *s, GError **error)
{
    if (!write_all(s->fd, s->buf->str, s->buf->len, s->dir, error))
        return FALSE;
    g_string_truncate(s->buf, 0);
    return TRUE;
}

gboolean
spool_add(Spool *s, const char *data, gsize len, GError **error)
{
    if (s->raw_sum)
        sha256_update(s->raw_sum, data, len);
    s->raw_len += len;
    if (s->raw_head->len < SPOOL_HEAD)
        g_string_append_len(s->raw_head, data,
                            (gssize)MIN(len, SPOOL_HEAD - s->raw_head->len));
    message_prep_feed(&s->prep, data, len, s->buf);
    return s->buf->len < SPOOL_FLUSH || flush(s, error);
}

gboolean
spool_finish(Spool *s, GError **error)
{
    if (s->prep.carry)
        message_prep_finish(&s->prep, s->buf);
    return flush(s, error);
}

const char *
spool_folder_for(const Spool *s, const PostieConfig *cfg, const Account *account)
{
    return filter_folder_for(cfg, account, s->raw_head->str, s->raw_head->len);
}

char *
spool_digest_uid(Spool *s)
{
    if (!s->raw_hex)
        s->raw_hex = sha256_finish(g_steal_pointer(&s->raw_sum));
    return g_strconcat("postie-sha256:", s->raw_hex, NULL);
}

/* The canonical form (message_canonical_sum) of HEAD followed by the
 * file: without trailing newlines, hashed in pieces. */
char *
spool_canonical_sum(Spool *s, const char *head, gsize *canon_len, GError **error)
{
    off_t end = lseek(s->fd, 0, SEEK_END);
    if (end < 0) {
        postie_set_error_errno(error, errno, _("seek in a temporary file in"), s->dir);
        return NULL;
    }
    char buf[64 * 1024];
    guint64 keep = (guint64)end;
    /* Trailing newlines do not count (the store may add one). */
    while (keep > 0) {
        gsize n = keep < sizeof buf ? (gsize)keep : sizeof buf;
        if (pread(s->fd, buf, n, (off_t)(keep - n)) != (ssize_t)n) {
            postie_set_error_errno(error, errno, _("read a temporary file in"), s->dir);
            return NULL;
        }
        gsize i = n;
        while (i > 0 && (buf[i - 1] == '\n' || buf[i - 1] == '\r'))
            i--;
        keep -= n - i;
        if (i > 0)
            break;
    }
    if (keep == 0)
        return message_canonical_sum(head, strlen(head), FALSE, canon_len);
    Sha256 *sum = sha256_new();
    sha256_update(sum, head, strlen(head));
    for (guint64 off = 0; off < keep;) {
        gsize n = keep - off < sizeof buf ? (gsize)(keep - off) : sizeof buf;
        if (pread(s->fd, buf, n, (off_t)off) != (ssize_t)n) {
            postie_set_error_errno(error, errno, _("read a temporary file in"), s->dir);
            sha256_free(sum);
            return NULL;
        }
        sha256_update(sum, buf, n);
        off += n;
    }
    char *hex = sha256_finish(sum);
    *canon_len = strlen(head) + (gsize)keep;
    return hex;
}

void
spool_free(Spool *s)
{
    if (!s)
        return;
    if (s->prep.carry)
        message_prep_finish(&s->prep, s->buf);
    close(s->fd);
    g_free(s->dir);
    sha256_free(s->raw_sum);
    g_free(s->raw_hex);
    g_string_free(s->buf, TRUE);
    g_string_free(s->raw_head, TRUE);
    g_free(s);
}
