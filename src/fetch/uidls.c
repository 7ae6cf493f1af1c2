/* The records of UIDs seen, one file per account:
 *
 *   postie-uidls 1
 *   # comment lines start with '#'
 *   server alice@pop.example.org
 *   D 1700000000 000001a3b4
 *   H 1700000100 000001a3b5 folder=Inbox
 *   F 1700000200 000001a3b6 len=4096 part=0 folder=Lists/dev
 *
 * One "server USER@HOST" line starts the records of that mailbox; each
 * record is STATE FIRST-SEEN UID and, for some states, key=value fields, the
 * folder last (it may hold spaces).  A file that does not parse is an error
 * naming FILE:LINE and nothing else happens: forgetting records would
 * download or delete everything again.
 *
 * Saving is linear in what changed, not in what is recorded: uidls_save
 * appends the records noted (uidls_note) since the last save to
 * ACCOUNT.journal, as "server" lines, record lines and "- UID" for a
 * record dropped, closed by a "." line, and fsyncs it.  Reading replays
 * the journal's closed groups over the file (a group cut off by a crash
 * was never reported saved, and is ignored).  uidls_compact folds the
 * journal into the file (rewritten whole through atomic_write_file, mode
 * 0600, then the journal emptied); a save compacts when the journal has
 * grown past the file, and a fetch compacts at its end, both right after
 * a save, so the journal ends with the state the file gets: replaying a
 * journal already folded in changes nothing.  All of it happens while
 * the account's fetch lock is held. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fetch/fetch.h"
#include "fetch/private.h"
#include "util/util.h"

#define UIDLS_MAGIC "postie-uidls 1"
#define UIDLS_MAX_LINE 4096
#define UIDL_MAX_LEN 512

#define JOURNAL_MIN ((guint64) 256 * 1024)

struct UidlFile {
    char *path;
    char *account;
    int lock_fd;
    GPtrArray *names;      /* section names, file order */
    GHashTable *sections;  /* name -> GHashTable(uid -> UidlRecord*) */
    GHashTable *table_names; /* section table -> its name */
    GHashTable *dirty;     /* name -> set of UIDs noted since the save */
    guint64 file_len;      /* bytes of the file when last read or written */
    guint64 journal_len;   /* bytes of closed groups in the journal */
    int journal_fd;        /* -1 until the first append */
};

static char *
journal_path(const char *path)
{
    return g_strconcat(path, ".journal", NULL);
}

/* The UID is kept in the same allocation as the record: one malloc and
 * one free per record (a check of 100,000 UIDs frees them all). */
UidlRecord *
uidl_record_new(const char *uid, gint64 first_seen, char state)
{
    gsize len = strlen(uid);
    UidlRecord *r = g_malloc0(sizeof *r + len + 1);
    r->uid = memcpy((char *)(r + 1), uid, len + 1);
    r->first_seen = first_seen;
    r->state = state;
    return r;
}

void
uidl_record_free(gpointer p)
{
    UidlRecord *r = p;
    if (!r)
        return;
    g_free(r->folder);
    g_free(r->sum);
    g_free(r);
}

void
uidl_record_set_folder(UidlRecord *r, const char *folder)
{
    char *copy = g_strdup(folder);
    g_free(r->folder);
    r->folder = copy;
}

gboolean
uidl_valid(const char *uid)
{
    gsize n = 0;
    if (!uid)
        return FALSE;
    for (const char *p = uid; *p; p++, n++)
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return FALSE;
    return n >= 1 && n <= UIDL_MAX_LEN;
}

static gboolean
state_valid(char c)
{
    return strchr("DHGXRFC", c) != NULL && c != '\0';
}

/* Escape an account name into one safe file name: keep [A-Za-z0-9._-]
 * (no leading dot), %XX for the rest. */
static char *
escape_name(const char *name)
{
    GString *s = g_string_new(NULL);
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (g_ascii_isalnum(c) || c == '_' || c == '-' ||
            (c == '.' && p != name))
            g_string_append_c(s, (char)c);
        else
            g_string_append_printf(s, "%%%02X", c);
    }
    if (s->len == 0)
        g_string_append(s, "%00");
    return g_string_free(s, FALSE);
}

char *
uidls_path_for(const char *account)
{
    g_autofree char *state = paths_state_dir();
    g_autofree char *name = escape_name(account);
    return g_build_filename(state, "uidls", name, NULL);
}

static GHashTable *
new_section_table(void)
{
    return g_hash_table_new_full(str_hash_fast, g_str_equal, NULL,
                                 uidl_record_free);
}

static UidlFile *
uidl_file_new(const char *path)
{
    UidlFile *f = g_new0(UidlFile, 1);
    f->path = g_strdup(path);
    f->lock_fd = -1;
    f->names = g_ptr_array_new_with_free_func(g_free);
    f->sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)g_hash_table_unref);
    f->table_names = g_hash_table_new(g_direct_hash, g_direct_equal);
    f->dirty = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)g_hash_table_unref);
    f->journal_fd = -1;
    return f;
}

GHashTable *
uidls_section(UidlFile *f, const char *server)
{
    GHashTable *t = g_hash_table_lookup(f->sections, server);
    if (!t) {
        t = new_section_table();
        char *name = g_strdup(server);
        g_hash_table_insert(f->sections, name, t);
        g_hash_table_insert(f->table_names, t, name);
        g_ptr_array_add(f->names, g_strdup(server));
    }
    return t;
}

void
uidls_note(UidlFile *f, GHashTable *section, const char *uid)
{
    const char *name = g_hash_table_lookup(f->table_names, section);
    g_return_if_fail(name != NULL);
    GHashTable *set = g_hash_table_lookup(f->dirty, name);
    if (!set) {
        set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(f->dirty, g_strdup(name), set);
    }
    if (!g_hash_table_contains(set, uid))
        g_hash_table_add(set, g_strdup(uid));
}

static gboolean
parse_error(GError **error, const char *path, guint line, const char *why)
{
    g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                _("%s:%u: %s (the UIDL records are damaged; fetching stops "
                  "so that nothing is downloaded twice or deleted by "
                  "mistake: repair the line, or move the file away to "
                  "download every message on the server again)"),
                path, line, why);
    return FALSE;
}

static gboolean
parse_record(const char *path, guint lineno, char *line, GHashTable *section,
             gboolean replay, GError **error)
{
    /* STATE SP FIRST-SEEN SP UID [SP key=value]... [SP folder=REST] */
    if (!state_valid(line[0]) || line[1] != ' ')
        return parse_error(error, path, lineno, _("unknown record state"));
    char state = line[0];
    char *p = line + 2;
    char *end = NULL;
    errno = 0;
    gint64 seen = g_ascii_strtoll(p, &end, 10);
    if (end == p || *end != ' ' || errno != 0 || seen < 0)
        return parse_error(error, path, lineno, _("bad first-seen time"));
    p = end + 1;
    char *sp = strchr(p, ' ');
    const char *uid = p;       /* the line is ours: cut it in place */
    if (sp)
        *sp = '\0';
    if (!uidl_valid(uid))
        return parse_error(error, path, lineno, _("bad UID"));
    if (!replay && g_hash_table_contains(section, uid))
        return parse_error(error, path, lineno, _("UID recorded twice"));

    UidlRecord *r = uidl_record_new(uid, seen, state);
    p = sp ? sp + 1 : NULL;
    while (p && *p) {
        if (g_str_has_prefix(p, "folder=")) {
            p += strlen("folder=");
            if (*p == '\0') {
                uidl_record_free(r);
                return parse_error(error, path, lineno, _("empty folder name"));
            }
            uidl_record_set_folder(r, p);
            break;
        }
        sp = strchr(p, ' ');
        g_autofree char *field = sp ? g_strndup(p, (gsize)(sp - p)) : g_strdup(p);
        p = sp ? sp + 1 : NULL;
        if (g_str_has_prefix(field, "len=")) {
            guint64 v;
            if (!g_ascii_string_to_unsigned(field + 4, 10, 0, G_MAXUINT64, &v, NULL)) {
                uidl_record_free(r);
                return parse_error(error, path, lineno, _("bad length"));
            }
            r->length = v;
        } else if (g_str_has_prefix(field, "sum=")) {
            const char *h = field + 4;
            if (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64) {
                uidl_record_free(r);
                return parse_error(error, path, lineno, _("bad checksum"));
            }
            g_free(r->sum);
            r->sum = g_strdup(h);
        } else if (g_str_equal(field, "part=0") || g_str_equal(field, "part=1")) {
            r->partial = field[5] == '1';
        } else {
            uidl_record_free(r);
            return parse_error(error, path, lineno, _("unknown field"));
        }
    }
    gboolean needs_folder = strchr("HGFC", state) != NULL;
    if (needs_folder && !r->folder) {
        uidl_record_free(r);
        return parse_error(error, path, lineno, _("record without its folder"));
    }
    g_hash_table_replace(section, r->uid, r);
    return TRUE;
}

/* Read TEXT into F: the records file, or (JOURNAL) the journal's closed
 * groups, replayed over what F holds; *USED gets how many bytes of the
 * journal that is. */
static gboolean
parse_text(UidlFile *f, const char *path, char *text, gsize len,
           gboolean journal, gsize *used, GError **error)
{
    GHashTable *section = NULL;
    guint lineno = 0;
    gsize pos = 0;

    if (journal) {
        /* Up to the end of the last "." line: the rest was cut off. */
        gsize keep = 0;
        for (gsize i = len; i >= 2; i--)
            if (text[i - 1] == '\n' && text[i - 2] == '.' &&
                (i == 2 || text[i - 3] == '\n')) {
                keep = i;
                break;
            }
        len = keep;
        *used = keep;
    }
    if (len == 0)
        return TRUE;
    if (memchr(text, '\0', len))
        return parse_error(error, path, 1, _("binary data in the file"));
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        gsize llen = nl ? (gsize)(nl - (text + pos)) : len - pos;
        lineno++;
        if (!nl)   /* A write is atomic, so a missing newline is damage. */
            return parse_error(error, path, lineno, _("last line is cut off"));
        if (llen > UIDLS_MAX_LINE)
            return parse_error(error, path, lineno, _("line too long"));
        char *line = text + pos;   /* TEXT is ours: lines end in place */
        line[llen] = '\0';
        pos += llen + 1;
        if (!g_utf8_validate(line, -1, NULL))
            return parse_error(error, path, lineno, _("invalid UTF-8"));
        for (const char *c = line; *c; c++)
            if ((unsigned char)*c < 0x20)
                return parse_error(error, path, lineno, _("control character"));
        if (lineno == 1 && !journal) {
            if (!g_str_equal(line, UIDLS_MAGIC))
                return parse_error(error, path, lineno,
                                   _("not a postie UIDL records file (format 1)"));
            continue;
        }
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (journal && g_str_equal(line, ".")) {
            section = NULL;             /* the end of one save */
            continue;
        }
        if (g_str_has_prefix(line, "server ")) {
            const char *name = line + strlen("server ");
            if (*name == '\0' ||
                (!journal && g_hash_table_contains(f->sections, name)))
                return parse_error(error, path, lineno,
                                   _("empty or repeated server line"));
            section = uidls_section(f, name);
            continue;
        }
        if (!section)
            return parse_error(error, path, lineno, _("record before any server line"));
        if (journal && g_str_has_prefix(line, "- ")) {
            if (!uidl_valid(line + 2))
                return parse_error(error, path, lineno, _("bad UID"));
            g_hash_table_remove(section, line + 2);
            continue;
        }
        if (!parse_record(path, lineno, line, section, journal, error))
            return FALSE;
    }
    return TRUE;
}

static UidlFile *parse_file(const char *path, char *text, gsize len,
                            GError **error);

UidlFile *
uidls_parse(const char *path, const char *text, gsize len, GError **error)
{
    g_autofree char *copy = g_malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return parse_file(path, copy, len, error);
}

/* uidls_parse of TEXT, which it may change. */
static UidlFile *
parse_file(const char *path, char *text, gsize len, GError **error)
{
    UidlFile *f = uidl_file_new(path);
    if (!parse_text(f, path, text, len, FALSE, NULL, error)) {
        uidls_close(f);
        return NULL;
    }
    f->file_len = len;
    return f;
}

gboolean
uidls_replay(UidlFile *f, const char *text, gsize len, GError **error)
{
    g_autofree char *copy = g_malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    g_autofree char *jpath = journal_path(f->path);
    gsize used = 0;
    return parse_text(f, jpath, copy, len, TRUE, &used, error);
}

/* The records file and its journal, read.  NULL with ERROR when either
 * cannot be read or does not parse. */
static UidlFile *
load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) local = NULL;
    if (!g_file_get_contents(path, &text, &len, &local) &&
        !g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot read %s: %s"), path, local->message);
        return NULL;
    }
    UidlFile *f = parse_file(path, text ? text : (char *)"", len, error);
    if (!f)
        return NULL;
    g_autofree char *jpath = journal_path(path);
    g_autofree char *jtext = NULL;
    gsize jlen = 0, used = 0;
    g_clear_error(&local);
    if (!g_file_get_contents(jpath, &jtext, &jlen, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return f;
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot read %s: %s"), jpath, local->message);
        uidls_close(f);
        return NULL;
    }
    if (!parse_text(f, jpath, jtext, jlen, TRUE, &used, error)) {
        uidls_close(f);
        return NULL;
    }
    f->journal_len = used;
    return f;
}

static int
cmp_uid(gconstpointer a, gconstpointer b)
{
    const UidlRecord *x = *(UidlRecord *const *)a;
    const UidlRecord *y = *(UidlRecord *const *)b;
    return strcmp(x->uid, y->uid);
}

/* The records of a section sorted by UID (GLib 2.74 has no
 * g_hash_table_get_values_as_ptr_array). */
static GPtrArray *
records_sorted(GHashTable *t)
{
    GPtrArray *a = g_ptr_array_sized_new(g_hash_table_size(t));
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, NULL, &v))
        g_ptr_array_add(a, v);
    g_ptr_array_sort(a, cmp_uid);
    return a;
}

static void
append_uint(GString *s, guint64 v)
{
    char buf[24];
    int i = sizeof buf;
    do
        buf[--i] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    g_string_append_len(s, buf + i, (gssize)(sizeof buf - (gsize)i));
}

/* One record line; written for every message fetched, so no printf. */
static void
format_record(GString *s, const UidlRecord *r)
{
    g_string_append_c(s, r->state);
    g_string_append_c(s, ' ');
    append_uint(s, (guint64)MAX(r->first_seen, 0));
    g_string_append_c(s, ' ');
    g_string_append(s, r->uid);
    if (r->state == UIDL_IN_FLIGHT) {
        g_string_append(s, " len=");
        append_uint(s, r->length);
        g_string_append(s, r->partial ? " part=1" : " part=0");
        if (r->sum) {
            g_string_append(s, " sum=");
            g_string_append(s, r->sum);
        }
    }
    if (r->folder && strchr("HGXFC", r->state)) {
        g_string_append(s, " folder=");
        g_string_append(s, r->folder);
    }
    g_string_append_c(s, '\n');
}

char *
uidls_format(UidlFile *f, gsize *len)
{
    GString *s = g_string_new(UIDLS_MAGIC "\n");
    g_string_append(s, "# UIDs seen on each server mailbox; see postie-fetch(1).\n"
                       "# STATE FIRST-SEEN(Unix time) UID [len=N part=0|1] [folder=NAME]\n");
    for (guint i = 0; i < f->names->len; i++) {
        const char *name = f->names->pdata[i];
        GHashTable *t = g_hash_table_lookup(f->sections, name);
        g_string_append_printf(s, "server %s\n", name);
        g_autoptr(GPtrArray) recs = records_sorted(t);
        for (guint j = 0; j < recs->len; j++)
            format_record(s, recs->pdata[j]);
    }
    *len = s->len;
    return g_string_free(s, FALSE);
}

gboolean
uidls_compact(UidlFile *f, GError **error)
{
    gsize len;
    g_autofree char *text = uidls_format(f, &len);
    if (!atomic_write_file(f->path, text, len, 0600, error))
        return FALSE;
    f->file_len = len;
    g_hash_table_remove_all(f->dirty);
    if (f->journal_len == 0)
        return TRUE;
    /* The file holds everything now; replaying the journal again before
     * it is emptied would change nothing. */
    g_autofree char *jpath = journal_path(f->path);
    if (f->journal_fd < 0)
        f->journal_fd = open(jpath, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (f->journal_fd < 0 || ftruncate(f->journal_fd, 0) < 0 ||
        fsync(f->journal_fd) < 0) {
        postie_set_error_errno(error, errno, _("empty"), jpath);
        return FALSE;
    }
    f->journal_len = 0;
    return TRUE;
}

gboolean
uidls_fold_journal(UidlFile *f, GError **error)
{
    if (!uidls_save(f, error))
        return FALSE;
    return f->journal_len == 0 || uidls_compact(f, error);
}

/* The noted records as one journal group. */
static GString *
journal_group(UidlFile *f)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->names->len; i++) {
        const char *name = f->names->pdata[i];
        GHashTable *set = g_hash_table_lookup(f->dirty, name);
        if (!set)
            continue;
        GHashTable *t = g_hash_table_lookup(f->sections, name);
        g_string_append_printf(s, "server %s\n", name);
        GHashTableIter it;
        gpointer uid;
        g_hash_table_iter_init(&it, set);
        while (g_hash_table_iter_next(&it, &uid, NULL)) {
            const UidlRecord *r = g_hash_table_lookup(t, uid);
            if (r)
                format_record(s, r);
            else
                g_string_append_printf(s, "- %s\n", (const char *)uid);
        }
    }
    g_string_append(s, ".\n");
    return s;
}

gboolean
uidls_save(UidlFile *f, GError **error)
{
    if (g_hash_table_size(f->dirty) == 0)
        return TRUE;
    g_autoptr(GString) group = journal_group(f);
    g_autofree char *jpath = journal_path(f->path);
    if (f->journal_fd < 0) {
        f->journal_fd = open(jpath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        if (f->journal_fd < 0) {
            postie_set_error_errno(error, errno, _("open"), jpath);
            return FALSE;
        }
    }
    /* Cut off what a crash left after the last closed group, then add. */
    if (ftruncate(f->journal_fd, (off_t)f->journal_len) < 0 ||
        lseek(f->journal_fd, (off_t)f->journal_len, SEEK_SET) < 0) {
        postie_set_error_errno(error, errno, _("write"), jpath);
        return FALSE;
    }
    if (!write_all(f->journal_fd, group->str, group->len, jpath, error))
        return FALSE;
    if (fdatasync(f->journal_fd) < 0) {
        postie_set_error_errno(error, errno, _("sync"), jpath);
        return FALSE;
    }
    f->journal_len += group->len;
    g_hash_table_remove_all(f->dirty);
    /* Past the file's size, folding in costs less than it saves.  Only
     * now: the journal ends with the state the file gets, so a crash
     * between the two steps replays to the same records. */
    if (f->journal_len > MAX(JOURNAL_MIN, f->file_len))
        return uidls_compact(f, error);
    return TRUE;
}

static int
take_lock(const char *path, const char *account, GError **error)
{
    g_autofree char *lock = g_strconcat(path, ".lock", NULL);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        postie_set_error_errno(error, errno, _("open"), lock);
        return -1;
    }
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED,
                        _("a fetch for %s is already running"), account);
        else
            postie_set_error_errno(error, errno, _("lock"), lock);
        close(fd);
        return -1;
    }
    return fd;
}

int
uidls_lock(const char *path, const char *account, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    if (!paths_ensure_dir(dir, 0700, error))
        return -1;
    return take_lock(path, account, error);
}

UidlFile *
uidls_open_locked(const char *path, const char *account, int lock_fd,
                  GError **error)
{
    UidlFile *f = load(path, error);
    if (!f) {
        close(lock_fd);
        return NULL;
    }
    f->account = g_strdup(account);
    f->lock_fd = lock_fd;
    return f;
}

UidlFile *
uidls_open(const char *path, const char *account, GError **error)
{
    int fd = uidls_lock(path, account, error);
    return fd < 0 ? NULL : uidls_open_locked(path, account, fd, error);
}

void
uidls_close(UidlFile *f)
{
    if (!f)
        return;
    if (f->journal_fd >= 0)
        close(f->journal_fd);
    if (f->lock_fd >= 0)
        close(f->lock_fd);   /* releases the flock */
    g_free(f->path);
    g_free(f->account);
    g_ptr_array_unref(f->names);
    g_hash_table_unref(f->sections);
    g_hash_table_unref(f->table_names);
    g_hash_table_unref(f->dirty);
    g_free(f);
}

/* ---- listing headers-only messages (fetch.h) ----------------------------- */

void
fetch_partial_free(gpointer p)
{
    FetchPartial *x = p;
    if (!x)
        return;
    g_free(x->uid);
    g_free(x->folder);
    g_free(x);
}

GPtrArray *
fetch_list_partial(const char *account, GError **error)
{
    g_autofree char *path = uidls_path_for(account);
    GPtrArray *out = g_ptr_array_new_with_free_func(fetch_partial_free);
    UidlFile *f = load(path, error);   /* nothing fetched yet: empty */
    if (!f) {
        g_ptr_array_unref(out);
        return NULL;
    }
    for (guint i = 0; i < f->names->len; i++) {
        GHashTable *t = g_hash_table_lookup(f->sections, f->names->pdata[i]);
        g_autoptr(GPtrArray) recs = records_sorted(t);
        for (guint j = 0; j < recs->len; j++) {
            const UidlRecord *r = recs->pdata[j];
            if (!strchr("HGX", r->state) || !r->folder)
                continue;
            FetchPartial *p = g_new0(FetchPartial, 1);
            p->uid = g_strdup(r->uid);
            p->folder = g_strdup(r->folder);
            p->state = r->state;
            p->first_seen = r->first_seen;
            g_ptr_array_add(out, p);
        }
    }
    uidls_close(f);
    return out;
}
