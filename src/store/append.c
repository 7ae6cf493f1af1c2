/* Appending messages to a folder: lock once, add many, fsync once.
 *
 * Each message is built in memory (From_ line, headers without our flag
 * headers, Status/X-Status for its flags, the body with ">*From " lines
 * quoted, a blank line) into one buffer for the whole batch, written with
 * one write_all when it reaches APPEND_WRITE_MAX or at the flush; one too
 * large for memory is read from a file and written the same way in
 * pieces.  On any failure the file is truncated back so no half message
 * stays behind. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/private.h"

/* Built messages are written once this much is waiting. */
#define APPEND_WRITE_MAX ((gsize) 8 * 1024 * 1024)

struct StoreAppender {
    char *path;
    int fd;
    StoreLock lock;
    guint64 size;            /* end of the file after our last write */
    guint64 flushed;         /* end after the last successful fsync */
    int missing_newlines;    /* to write before the next From_ line */
    GString *pending;        /* built messages not written yet */
};

void
store_status_lines(GString *out, guint32 flags, const char *nl)
{
    if (flags & (MSG_READ | MSG_OLD)) {
        g_string_append(out, (flags & MSG_READ) ? "Status: RO" : "Status: O");
        g_string_append(out, nl);
    }
    if (flags & (MSG_REPLIED | MSG_FLAGGED | MSG_DELETED)) {
        g_string_append(out, "X-Status: ");
        if (flags & MSG_REPLIED)
            g_string_append_c(out, 'A');
        if (flags & MSG_FLAGGED)
            g_string_append_c(out, 'F');
        if (flags & MSG_DELETED)
            g_string_append_c(out, 'D');
        g_string_append(out, nl);
    }
    if (flags & MSG_PARTIAL) {
        g_string_append(out, "X-Postie-Partial: yes");
        g_string_append(out, nl);
    }
}

static gboolean
name_is(const char *p, gsize len, const char *name)
{
    gsize n = strlen(name);
    if (len < n + 1 || g_ascii_strncasecmp(p, name, n) != 0)
        return FALSE;
    const char *q = p + n;
    while (q < p + len && (*q == ' ' || *q == '\t'))
        q++;
    return q < p + len && *q == ':';
}

/* Thunderbird's X-Mozilla-Status goes too: once the flags are written
 * as Status/X-Status it would only contradict them (a message marked
 * unread here has no Status line, and the old "read" would come back). */
gboolean
store_is_flag_header(const char *p, gsize len)
{
    return name_is(p, len, "Status") || name_is(p, len, "X-Status") ||
           name_is(p, len, "X-Mozilla-Status") || name_is(p, len, "X-Postie-Partial");
}

/* The envelope sender for the From_ line: Return-Path, else From, as a
 * bare address without spaces; else MAILER-DAEMON. */
static char *
envelope_sender(const char *hdr, gsize len)
{
    const char *found = NULL;
    gsize flen = 0;
    const char *p = hdr, *end = hdr + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *e = nl ? nl : end;
        gsize l = (gsize)(e - p);
        if (name_is(p, l, "Return-Path")) {
            found = p;
            flen = l;
            break;
        }
        if (!found && name_is(p, l, "From")) {
            found = p;
            flen = l;
        }
        p = nl ? nl + 1 : end;
    }
    if (!found)
        return g_strdup("MAILER-DAEMON");
    const char *v = memchr(found, ':', flen) + 1, *ve = found + flen;
    const char *lt = memchr(v, '<', (gsize)(ve - v));
    const char *a = v, *ae = ve;
    if (lt) {
        const char *gt = memchr(lt, '>', (gsize)(ve - lt));
        if (gt) {
            a = lt + 1;
            ae = gt;
        }
    } else {
        /* The first word holding an '@'. */
        const char *at = memchr(v, '@', (gsize)(ve - v));
        if (at) {
            a = at;
            ae = at;
            while (a > v && a[-1] != ' ' && a[-1] != '\t' && a[-1] != ',')
                a--;
            while (ae < ve && *ae != ' ' && *ae != '\t' && *ae != ',' && *ae != '\r')
                ae++;
        }
    }
    if (ae <= a || ae - a > 254)
        return g_strdup("MAILER-DAEMON");
    for (const char *q = a; q < ae; q++)
        if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f)
            return g_strdup("MAILER-DAEMON");
    return g_strndup(a, (gsize)(ae - a));
}

/* "Sun Nov  2 04:10:39 2026", as asctime writes it, in UTC and C locale.
 * A batch is appended within a second or two, so the text is kept for the
 * second it was made in. */
static void
append_ctime(GString *out, time_t t)
{
    static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    static G_LOCK_DEFINE(last);
    static time_t last_t = (time_t)-1;
    static char last_text[64];
    G_LOCK(last);
    if (t != last_t) {
        struct tm tm;
        gmtime_r(&t, &tm);
        g_snprintf(last_text, sizeof last_text, "%s %s %2d %02d:%02d:%02d %d",
                   wd[tm.tm_wday], mo[tm.tm_mon], tm.tm_mday, tm.tm_hour,
                   tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
        last_t = t;
    }
    g_string_append(out, last_text);
    G_UNLOCK(last);
}

/* Append line P[0..LEN) (without its newline, CR dropped) quoting
 * ">*From " as mboxrd does. */
static void
append_line(GString *out, const char *p, gsize len)
{
    if (len > 0 && p[len - 1] == '\r')
        len--;
    gsize i = 0;
    while (i < len && p[i] == '>')
        i++;
    if (len - i >= 5 && memcmp(p + i, "From ", 5) == 0)
        g_string_append_c(out, '>');
    g_string_append_len(out, p, (gssize)len);
    g_string_append_c(out, '\n');
}

/* The body P[0..END) (starting at a line start) with ">*From " lines
 * quoted: runs without a quote are copied whole.  A body with a CR goes
 * line by line (append_line drops the CR of each CRLF). */
static void
append_body(GString *out, const char *p, const char *end)
{
    if (p == end)
        return;
    if (memchr(p, '\r', (gsize)(end - p))) {
        for (const char *q = p; q < end;) {
            const char *nl = memchr(q, '\n', (gsize)(end - q));
            const char *e = nl ? nl : end;
            append_line(out, q, (gsize)(e - q));
            q = nl ? nl + 1 : end;
        }
        return;
    }
    const char *copied = p;
    for (const char *q = p; q < end;) {
        const char *f = memmem(q, (gsize)(end - q), "From ", 5);
        if (!f)
            break;
        const char *ls = f;
        while (ls > p && ls[-1] == '>')
            ls--;
        if (ls == p || ls[-1] == '\n') {
            g_string_append_len(out, copied, (gssize)(ls - copied));
            g_string_append_c(out, '>');
            copied = ls;
        }
        q = f + 5;
    }
    g_string_append_len(out, copied, (gssize)(end - copied));
    if (end[-1] != '\n')
        g_string_append_c(out, '\n');
}

/* The mbox form of one message, written line by line: the From_ line
 * (made by the caller), the header block without our flag fields and
 * Content-Length, Status/X-Status for FLAGS, the body with ">*From "
 * quoted, and a blank line.  The same for a message in memory and one
 * read from a file. */
typedef struct {
    enum { MB_FIRST, MB_HEADERS, MB_BODY } state;
    gboolean skipping;
    guint32 flags;
} MboxWriter;

static void
mbox_header_end(MboxWriter *w, GString *out)
{
    store_status_lines(out, w->flags, "\n");
    g_string_append_c(out, '\n');
    w->state = MB_BODY;
}

/* One line P[0..LEN) of the message, without its '\n'. */
static void
mbox_line(MboxWriter *w, GString *out, const char *p, gsize len)
{
    if (w->state == MB_FIRST) {
        w->state = MB_HEADERS;
        if (len >= 5 && memcmp(p, "From ", 5) == 0)
            return;              /* the caller's From_ line: ours replaces it */
    }
    if (w->state == MB_BODY) {
        append_line(out, p, len);
    } else if (len == 0 || (len == 1 && p[0] == '\r')) {
        mbox_header_end(w, out);
    } else if (p[0] == ' ' || p[0] == '\t') {
        if (!w->skipping)
            append_line(out, p, len);
    } else {
        /* Our flag headers are rewritten; a Content-Length would no
         * longer match once lines are quoted. */
        w->skipping = store_is_flag_header(p, len) || name_is(p, len, "Content-Length");
        if (!w->skipping)
            append_line(out, p, len);
    }
}

static void
mbox_end(MboxWriter *w, GString *out)
{
    if (w->state != MB_BODY)
        mbox_header_end(w, out);
    /* The empty line that separates it from the next message. */
    g_string_append_c(out, '\n');
}

static void
append_from_line(GString *out, const char *sender)
{
    g_string_append(out, "From ");
    g_string_append(out, sender);
    g_string_append_c(out, ' ');
    append_ctime(out, time(NULL));
    g_string_append_c(out, '\n');
}

/* Build the mbox form of one message. */
static void
build_message(GString *out, const char *data, gsize len, guint32 flags)
{
    const char *p = data, *end = data + len;

    /* A From_ line given by the caller is replaced by ours. */
    if (len >= 5 && memcmp(p, "From ", 5) == 0) {
        const char *nl = memchr(p, '\n', len);
        p = nl ? nl + 1 : end;
    }
    /* Header block: up to the first empty line. */
    const char *hend = p;
    while (hend < end) {
        const char *nl = memchr(hend, '\n', (gsize)(end - hend));
        gsize l = (gsize)((nl ? nl : end) - hend);
        if (l == 0 || (l == 1 && hend[0] == '\r'))
            break;
        hend = nl ? nl + 1 : end;
    }
    g_autofree char *sender = envelope_sender(p, (gsize)(hend - p));
    append_from_line(out, sender);

    MboxWriter w = { MB_FIRST, FALSE, flags };
    const char *q = data;
    while (q < end && w.state != MB_BODY) {
        const char *nl = memchr(q, '\n', (gsize)(end - q));
        const char *e = nl ? nl : end;
        mbox_line(&w, out, q, (gsize)(e - q));
        q = nl ? nl + 1 : end;
    }
    append_body(out, q, end);
    mbox_end(&w, out);
}

static void
appender_free(StoreAppender *a)
{
    store_unlock(&a->lock);
    if (a->fd >= 0)
        close(a->fd);
    g_free(a->path);
    if (a->pending)
        g_string_free(a->pending, TRUE);
    g_free(a);
}

StoreAppender *
store_appender_open(const char *path, GError **error)
{
    StoreAppender *a = g_new0(StoreAppender, 1);
    a->path = g_strdup(path);
    a->lock.fd = -1;
    a->pending = g_string_new(NULL);
    a->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
    if (a->fd < 0) {
        postie_set_error_errno(error, errno, _("open folder"), path);
        appender_free(a);
        return NULL;
    }
    if (!store_lock_current(&a->lock, path, &a->fd, O_RDWR | O_CREAT | O_APPEND, error)) {
        appender_free(a);
        return NULL;
    }
    struct stat st;
    if (fstat(a->fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), path);
        appender_free(a);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s is not a regular file"), path);
        appender_free(a);
        return NULL;
    }
    a->size = a->flushed = (guint64)st.st_size;
    if (a->size > 0) {
        /* Only add to something that is an mbox, and make sure the new
         * From_ line follows an empty line. */
        char head[5], tail[3];
        gsize tl = a->size >= 3 ? 3 : (gsize)a->size;
        if ((a->size >= 5 && pread(a->fd, head, 5, 0) != 5) ||
            pread(a->fd, tail, tl, (off_t)(a->size - tl)) != (ssize_t)tl) {
            postie_set_error_errno(error, errno, _("read"), path);
            appender_free(a);
            return NULL;
        }
        gsize lead = 0;
        if (a->size < 5 || memcmp(head, "From ", 5) != 0) {
            /* Leading blank lines are tolerated by the reader too. */
            char buf[4096];
            ssize_t n = pread(a->fd, buf, sizeof buf, 0);
            while (n > 0 && lead < (gsize)n && (buf[lead] == '\n' || buf[lead] == '\r'))
                lead++;
            if (n <= 0 || (gsize)n - lead < 5 || memcmp(buf + lead, "From ", 5) != 0) {
                if (n > 0 && lead == (gsize)n && (guint64)n == a->size)
                    goto blank_only;
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                            _("%s is not an mbox folder: it does not start with a "
                              "\"From \" line; not adding mail to it"), path);
                appender_free(a);
                return NULL;
            }
        }
        a->missing_newlines = (int)store_missing_newlines(tail, tl);
    }
blank_only:
    return a;
}

/* Write what is pending.  It goes at the real end of the file, in case a
 * program that ignores locks wrote meanwhile; only our own bytes are ever
 * cut off again. */
static gboolean
write_pending(StoreAppender *a, GError **error)
{
    if (a->pending->len == 0)
        return TRUE;
    struct stat st;
    if (fstat(a->fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), a->path);
        return FALSE;
    }
    a->size = (guint64)st.st_size;
    if (!write_all(a->fd, a->pending->str, a->pending->len, a->path, error)) {
        if (ftruncate(a->fd, (off_t)a->size) < 0)
            g_warning("%s: could not truncate back: %s", a->path, g_strerror(errno));
        g_string_truncate(a->pending, 0);
        return FALSE;
    }
    a->size += a->pending->len;
    g_string_truncate(a->pending, 0);
    return TRUE;
}

gboolean
store_appender_add(StoreAppender *a, const char *data, gsize len,
                   guint32 flags, GError **error)
{
    GString *out = a->pending;
    for (int i = 0; i < a->missing_newlines; i++)
        g_string_append_c(out, '\n');
    build_message(out, data, len, flags & MSG_FLAGS_ALL);
    a->missing_newlines = 0;
    return out->len < APPEND_WRITE_MAX || write_pending(a, error);
}

/* ---- a message too large for memory: HEAD, then a file ------------------ */

typedef struct {
    const char *head;
    gsize head_len;
    int fd;
    const char *path;        /* for errors: the folder */
    guint64 off;             /* next read in FD */
    gboolean in_head;
    const char *cur;         /* the current chunk: HEAD or BUF */
    gsize len, pos;
    char buf[256 * 1024];
} LineSource;

static void
source_rewind(LineSource *s)
{
    s->in_head = TRUE;
    s->off = 0;
    s->cur = s->head;
    s->len = s->head_len;
    s->pos = 0;
}

/* Next chunk into cur/len (len 0 at the end). */
static gboolean
source_next(LineSource *s, GError **error)
{
    s->in_head = FALSE;
    s->cur = s->buf;
    s->pos = 0;
    ssize_t n;
    do
        n = pread(s->fd, s->buf, sizeof s->buf, (off_t)s->off);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        postie_set_error_errno(error, errno, _("read"), s->path);
        return FALSE;
    }
    s->len = (gsize)n;
    s->off += (guint64)n;
    return TRUE;
}

/* Next line into LINE, without its '\n': 1, 0 at the end, -1 on error. */
static int
source_line(LineSource *s, GString *line, GError **error)
{
    g_string_truncate(line, 0);
    for (;;) {
        if (s->pos == s->len) {
            if (!source_next(s, error))
                return -1;
            if (s->len == 0)
                return line->len > 0 ? 1 : 0;
        }
        const char *start = s->cur + s->pos;
        gsize avail = s->len - s->pos;
        const char *nl = memchr(start, '\n', avail);
        gsize take = nl ? (gsize)(nl - start) : avail;
        g_string_append_len(line, start, (gssize)take);
        s->pos += take + (nl ? 1 : 0);
        if (nl)
            return 1;
    }
}

/* The envelope sender from the header block (first pass). */
static char *
source_sender(LineSource *s, GError **error)
{
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GString) found = g_string_new(NULL);   /* Return-Path or From */
    gboolean first = TRUE, have_from = FALSE;
    int r;
    while ((r = source_line(s, line, error)) > 0) {
        if (first && line->len >= 5 && memcmp(line->str, "From ", 5) == 0) {
            first = FALSE;
            continue;
        }
        first = FALSE;
        if (line->len == 0 || (line->len == 1 && line->str[0] == '\r'))
            break;
        if (name_is(line->str, line->len, "Return-Path")) {
            g_string_assign(found, line->str);
            break;
        }
        if (!have_from && name_is(line->str, line->len, "From")) {
            g_string_assign(found, line->str);
            have_from = TRUE;
        }
    }
    if (r < 0)
        return NULL;
    return envelope_sender(found->str, found->len);
}

static gboolean
source_write(StoreAppender *a, LineSource *s, guint32 flags, GError **error)
{
    g_autofree char *sender = source_sender(s, error);
    if (!sender)
        return FALSE;
    source_rewind(s);
    g_autoptr(GString) out = g_string_sized_new(2 * sizeof s->buf);
    g_autoptr(GString) line = g_string_new(NULL);
    for (int i = 0; i < a->missing_newlines; i++)
        g_string_append_c(out, '\n');
    append_from_line(out, sender);
    MboxWriter w = { MB_FIRST, FALSE, flags };
    int r;
    while ((r = source_line(s, line, error)) > 0) {
        mbox_line(&w, out, line->str, line->len);
        if (out->len >= sizeof s->buf) {
            if (!write_all(a->fd, out->str, out->len, a->path, error))
                return FALSE;
            g_string_truncate(out, 0);
        }
    }
    if (r < 0)
        return FALSE;
    mbox_end(&w, out);
    return write_all(a->fd, out->str, out->len, a->path, error);
}

gboolean
store_appender_add_file(StoreAppender *a, const char *head, gsize head_len,
                        int fd, guint32 flags, GError **error)
{
    if (!write_pending(a, error))
        return FALSE;
    struct stat st;
    if (fstat(a->fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), a->path);
        return FALSE;
    }
    a->size = (guint64)st.st_size;
    LineSource *s = g_new0(LineSource, 1);
    s->head = head ? head : "";
    s->head_len = head ? head_len : 0;
    s->fd = fd;
    s->path = a->path;
    source_rewind(s);
    gboolean ok = source_write(a, s, flags & MSG_FLAGS_ALL, error);
    g_free(s);
    if (!ok) {
        if (ftruncate(a->fd, (off_t)a->size) < 0)
            g_warning("%s: could not truncate back: %s", a->path, g_strerror(errno));
        return FALSE;
    }
    if (fstat(a->fd, &st) < 0) {
        postie_set_error_errno(error, errno, _("stat"), a->path);
        return FALSE;
    }
    a->size = (guint64)st.st_size;
    a->missing_newlines = 0;
    return TRUE;
}

gboolean
store_appender_flush(StoreAppender *a, GError **error)
{
    if (!write_pending(a, error))
        return FALSE;
    if (a->size == a->flushed)
        return TRUE;
    if (fsync(a->fd) < 0) {
        postie_set_error_errno(error, errno, _("sync"), a->path);
        if (ftruncate(a->fd, (off_t)a->flushed) == 0)
            a->size = a->flushed;
        return FALSE;
    }
    a->flushed = a->size;
    return TRUE;
}

gboolean
store_appender_close(StoreAppender *a, GError **error)
{
    gboolean ok = store_appender_flush(a, error);
    appender_free(a);
    return ok;
}

void
store_appender_abort(StoreAppender *a)
{
    if (a->size != a->flushed && ftruncate(a->fd, (off_t)a->flushed) == 0)
        fsync(a->fd);
    appender_free(a);
}

gboolean
store_append(const char *path, const char *data, gsize len, guint32 flags,
             GError **error)
{
    StoreAppender *a = store_appender_open(path, error);
    if (!a)
        return FALSE;
    if (!store_appender_add(a, data, len, flags, error)) {
        store_appender_abort(a);
        return FALSE;
    }
    return store_appender_close(a, error);
}
