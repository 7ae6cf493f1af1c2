/* Unit tests for fetch/: the UIDL records parser, marks, filters, the
 * fetch plan and message preparation. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "fetch/fetch.h"
#include "fetch/private.h"
#include "util/util.h"

/* ---- records parser ----------------------------------------------------- */

typedef struct {
    const char *text;
    guint bad_line;          /* 0: parses */
} RecCase;

static const RecCase rec_cases[] = {
    { "", 0 },
    { "postie-uidls 1\n", 0 },
    { "postie-uidls 1\n# c\n\nserver a@h:995\nD 1 u1\nH 2 u2 folder=In box\n", 0 },
    { "postie-uidls 1\nserver a@h:995\nF 3 u3 len=10 part=1 folder=Inbox\n", 0 },
    { "postie-uidls 1\nserver a@h:995\nX 3 u3\n", 0 },
    { "postie-uidls 2\n", 1 },
    { "garbage\n", 1 },
    { "postie-uidls 1\nD 1 u1\n", 2 },                       /* no server */
    { "postie-uidls 1\nserver a\nQ 1 u1\n", 3 },             /* state */
    { "postie-uidls 1\nserver a\nD x u1\n", 3 },             /* time */
    { "postie-uidls 1\nserver a\nD -5 u1\n", 3 },
    { "postie-uidls 1\nserver a\nD 1 \n", 3 },               /* empty uid */
    { "postie-uidls 1\nserver a\nD 1 u1\nD 2 u1\n", 4 },     /* twice */
    { "postie-uidls 1\nserver a\nH 1 u1\n", 3 },             /* no folder */
    { "postie-uidls 1\nserver a\nF 1 u1 len=x folder=I\n", 3 },
    { "postie-uidls 1\nserver a\nD 1 u1 what=1\n", 3 },
    { "postie-uidls 1\nserver a\nD 1 u1", 3 },               /* cut off */
    { "postie-uidls 1\nserver a\nD 1 u\x01x\n", 3 },
    { "postie-uidls 1\nserver a\nserver a\n", 3 },
    { "postie-uidls 1\nserver \n", 2 },
    { "postie-uidls 1\nserver a\nD 1 \xff\xfe\n", 3 },
};

static void
test_records_parse(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(rec_cases); i++) {
        const RecCase *c = &rec_cases[i];
        g_autoptr(GError) error = NULL;
        UidlFile *f = uidls_parse("/x/acct", c->text, strlen(c->text), &error);
        if (c->bad_line == 0) {
            g_assert_no_error(error);
            g_assert_nonnull(f);
            uidls_close(f);
        } else {
            g_assert_null(f);
            g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
            g_autofree char *want = g_strdup_printf("/x/acct:%u: ", c->bad_line);
            if (!g_str_has_prefix(error->message, want))
                g_error("case %zu: got \"%s\", want prefix \"%s\"", i,
                        error->message, want);
        }
    }
    /* A line over the limit. */
    GString *s = g_string_new("postie-uidls 1\nserver a\nD 1 ");
    for (int i = 0; i < 5000; i++)
        g_string_append_c(s, 'x');
    g_string_append_c(s, '\n');
    g_autoptr(GError) error = NULL;
    g_assert_null(uidls_parse("f", s->str, s->len, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_string_free(s, TRUE);
}

static void
test_records_roundtrip(void)
{
    const char *text = "postie-uidls 1\nserver a@h:995\n"
                       "D 10 u1\nH 20 u2 folder=My Folder\n"
                       "F 30 u3 len=123 part=1 folder=Inbox\n"
                       "server b@h:110\nR 40 u1\n";
    g_autoptr(GError) error = NULL;
    UidlFile *f = uidls_parse("p", text, strlen(text), &error);
    g_assert_no_error(error);
    GHashTable *a = uidls_section(f, "a@h:995");
    g_assert_cmpuint(g_hash_table_size(a), ==, 3);
    UidlRecord *r = g_hash_table_lookup(a, "u3");
    g_assert_nonnull(r);
    g_assert_cmpint(r->state, ==, UIDL_IN_FLIGHT);
    g_assert_cmpuint(r->length, ==, 123);
    g_assert_true(r->partial);
    g_assert_cmpstr(r->folder, ==, "Inbox");
    r = g_hash_table_lookup(a, "u2");
    g_assert_cmpstr(r->folder, ==, "My Folder");
    gsize len;
    g_autofree char *out = uidls_format(f, &len);
    uidls_close(f);
    f = uidls_parse("p", out, len, &error);
    g_assert_no_error(error);
    gsize len2;
    g_autofree char *out2 = uidls_format(f, &len2);
    g_assert_cmpstr(out, ==, out2);
    GHashTable *b = uidls_section(f, "b@h:110");
    r = g_hash_table_lookup(b, "u1");
    g_assert_cmpint(r->state, ==, UIDL_DELETED_HERE);
    g_assert_cmpint(r->first_seen, ==, 40);
    uidls_close(f);
}

static void
test_records_lock_and_save(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-fetch-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "uidls", "acct", NULL);
    g_autoptr(GError) error = NULL;
    UidlFile *f = uidls_open(path, "acct", &error);
    g_assert_no_error(error);
    GHashTable *t = uidls_section(f, "u@h:1");
    UidlRecord *r = uidl_record_new("abc", 5, UIDL_DOWNLOADED);
    g_hash_table_replace(t, r->uid, r);
    uidls_note(f, t, "abc");
    g_assert_true(uidls_save(f, &error));
    g_autofree char *jpath = g_strconcat(path, ".journal", NULL);
    struct stat st;
    g_assert_cmpint(stat(jpath, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(uidls_fold_journal(f, &error));
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_cmpint(stat(jpath, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 0);

    /* A second fetch of the same account is refused at once. */
    UidlFile *g = uidls_open(path, "acct", &error);
    g_assert_null(g);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_LOCKED);
    g_assert_nonnull(strstr(error->message, "a fetch for acct is already running"));
    g_clear_error(&error);
    uidls_close(f);

    f = uidls_open(path, "acct", &error);
    g_assert_no_error(error);
    t = uidls_section(f, "u@h:1");
    g_assert_nonnull(g_hash_table_lookup(t, "abc"));
    uidls_close(f);

    /* A damaged file is refused, naming file and line. */
    g_assert_true(g_file_set_contents(path, "postie-uidls 1\nserver s\nD 1 a\nD 1 a\n",
                                      -1, NULL));
    f = uidls_open(path, "acct", &error);
    g_assert_null(f);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_autofree char *want = g_strdup_printf("%s:4:", path);
    g_assert_true(g_str_has_prefix(error->message, want));
}

static char *
read_text(const char *path)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* Saves append what changed to the journal; reading replays its closed
 * groups (a group cut off by a crash is ignored, and cut off by the next
 * save); folding it in gives the same records. */
static void
test_records_journal(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-fetch-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "acct", NULL);
    g_autofree char *jpath = g_strconcat(path, ".journal", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(g_file_set_contents(path, "postie-uidls 1\nserver s\n"
                                      "D 1 old\nD 2 gone\n", -1, NULL));
    UidlFile *f = uidls_open(path, "acct", &error);
    g_assert_no_error(error);
    GHashTable *t = uidls_section(f, "s");
    UidlRecord *r = uidl_record_new("new", 3, UIDL_IN_FLIGHT);
    r->length = 10;
    uidl_record_set_folder(r, "In box");
    g_hash_table_replace(t, r->uid, r);
    uidls_note(f, t, "new");
    g_hash_table_remove(t, "gone");
    uidls_note(f, t, "gone");
    g_assert_true(uidls_save(f, &error));
    g_assert_true(uidls_save(f, &error));          /* nothing new: no write */
    g_autofree char *j1 = read_text(jpath);
    g_assert_cmpstr(j1, ==, "server s\nF 3 new len=10 part=0 folder=In box\n"
                            "- gone\n.\n");
    g_autofree char *base = read_text(path);
    g_assert_nonnull(strstr(base, "D 2 gone"));   /* the file is untouched */
    uidls_close(f);

    /* A crash in the middle of the next save. */
    g_autofree char *torn = g_strconcat(j1, "server s\nD 3 new\n", NULL);
    g_assert_true(g_file_set_contents(jpath, torn, -1, NULL));
    f = uidls_open(path, "acct", &error);
    g_assert_no_error(error);
    t = uidls_section(f, "s");
    g_assert_cmpuint(g_hash_table_size(t), ==, 2);
    g_assert_null(g_hash_table_lookup(t, "gone"));
    r = g_hash_table_lookup(t, "new");
    g_assert_nonnull(r);
    g_assert_cmpint(r->state, ==, UIDL_IN_FLIGHT);
    g_assert_cmpstr(r->folder, ==, "In box");
    r->state = UIDL_DOWNLOADED;
    uidls_note(f, t, "new");
    g_assert_true(uidls_save(f, &error));
    g_autofree char *j2 = read_text(jpath);
    g_autofree char *want = g_strconcat(j1, "server s\nD 3 new\n.\n", NULL);
    g_assert_cmpstr(j2, ==, want);
    gsize len;
    g_autofree char *before = uidls_format(f, &len);
    g_assert_true(uidls_fold_journal(f, &error));
    uidls_close(f);

    /* Folded in: the same records from the file alone. */
    g_autofree char *j3 = read_text(jpath);
    g_assert_cmpstr(j3, ==, "");
    f = uidls_open(path, "acct", &error);
    g_assert_no_error(error);
    g_autofree char *after = uidls_format(f, &len);
    g_assert_cmpstr(after, ==, before);
    uidls_close(f);

    /* A damaged closed group is an error naming the journal's line. */
    g_assert_true(g_file_set_contents(jpath, "server s\nD x y\n.\n", -1, NULL));
    f = uidls_open(path, "acct", &error);
    g_assert_null(f);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_autofree char *where = g_strdup_printf("%s:2:", jpath);
    g_assert_true(g_str_has_prefix(error->message, where));
}

static void
test_uidl_valid(void)
{
    g_assert_true(uidl_valid("a"));
    g_assert_true(uidl_valid("~!09azAZ"));
    g_assert_false(uidl_valid(""));
    g_assert_false(uidl_valid("a b"));
    g_assert_false(uidl_valid("a\x7f"));
    g_assert_false(uidl_valid("\xc3\xa9"));
    g_autofree char *big = g_strnfill(513, 'x');
    g_assert_false(uidl_valid(big));
}

static void
test_path_escape(void)
{
    g_autofree char *p = uidls_path_for("../evil/acct one");
    g_autofree char *base = g_path_get_basename(p);
    g_assert_cmpstr(base, ==, "%2E.%2Fevil%2Facct%20one");
}

/* ---- marks --------------------------------------------------------------- */

static void
test_marks(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-marks-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "acct", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(marks_append(path, UIDL_DELETED_HERE, "u1", &error));
    g_assert_true(marks_append(path, UIDL_WANT_BODY, "u2", &error));
    g_assert_false(marks_append(path, UIDL_WANT_BODY, "bad uid", &error));
    g_clear_error(&error);

    g_autoptr(GPtrArray) taken = marks_take(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(taken->len, ==, 2);
    /* New marks while a fetch holds the taken ones are not lost. */
    g_assert_true(marks_append(path, UIDL_WANT_DELETE, "u3", &error));
    g_autoptr(GPtrArray) again = marks_take(path, &error);
    g_assert_cmpuint(again->len, ==, 3);    /* not done yet: all again */
    g_assert_true(marks_done(path, &error));
    g_autoptr(GPtrArray) none = marks_take(path, &error);
    g_assert_cmpuint(none->len, ==, 0);

    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          uidl_record_free);
    UidlRecord *d = uidl_record_new("u1", 1, UIDL_DOWNLOADED);
    UidlRecord *h = uidl_record_new("u2", 1, UIDL_HEADERS);
    uidl_record_set_folder(h, "Inbox");
    UidlRecord *f = uidl_record_new("u3", 1, UIDL_IN_FLIGHT);
    g_hash_table_replace(t, d->uid, d);
    g_hash_table_replace(t, h->uid, h);
    g_hash_table_replace(t, f->uid, f);
    marks_apply(t, "R u1");
    marks_apply(t, "G u2");
    marks_apply(t, "R u3");       /* in flight: left alone */
    marks_apply(t, "X u9");       /* unknown: ignored */
    marks_apply(t, "G u1");       /* not partial: no body to get */
    g_assert_cmpint(d->state, ==, UIDL_DELETED_HERE);
    g_assert_cmpint(h->state, ==, UIDL_WANT_BODY);
    g_assert_cmpint(f->state, ==, UIDL_IN_FLIGHT);
    g_hash_table_unref(t);

    char *acct = NULL, *uid = NULL;
    g_assert_true(fetch_parse_uidl_header("my acct  U-1 ", &acct, &uid));
    g_assert_cmpstr(acct, ==, "my acct");
    g_assert_cmpstr(uid, ==, "U-1");
    g_free(acct);
    g_free(uid);
    g_assert_false(fetch_parse_uidl_header("onlyone", &acct, &uid));
    g_assert_false(fetch_parse_uidl_header("", &acct, &uid));
}

/* ---- filters --------------------------------------------------------------- */

static Filter *
mkfilter(const char *account, const char *header, FilterKind kind,
         const char *pattern, const char *folder)
{
    Filter *f = g_new0(Filter, 1);
    f->account = g_strdup(account);
    f->header = g_strdup(header);
    f->kind = kind;
    f->pattern = g_strdup(pattern);
    if (kind == FILTER_MATCHES)
        f->regex = g_regex_new(pattern, G_REGEX_CASELESS, 0, NULL);
    f->folder = g_strdup(folder);
    return f;
}

static void
free_filter(gpointer p)
{
    Filter *f = p;
    g_free(f->account);
    g_free(f->header);
    g_free(f->pattern);
    if (f->regex)
        g_regex_unref(f->regex);
    g_free(f->folder);
    g_free(f);
}

typedef struct {
    const char *account;
    const char *message;
    const char *folder;
} FilterCase;

static const FilterCase filter_cases[] = {
    /* two people sharing one account: by To */
    { "shared", "From: x@y\nTo: Anna <anna@family.org>\n\nbody\n", "Anna" },
    { "shared", "From: x@y\r\nTo: bob@family.org\r\n\r\nbody\r\n", "Bob" },
    /* domain mailbox: the second Delivered-To holds the person */
    { "domain", "Delivered-To: catchall@dom.org\nDelivered-To: carol@dom.org\n"
                "Subject: hi\n\n", "Carol" },
    { "domain", "X-Original-To: dave@dom.org\nSubject: x\n\n", "Dave" },
    /* folded header, RFC 2047 encoded subject */
    { "a", "Subject: =?UTF-8?Q?J=C3=B6rg?= says\n  hello world\n\n", "Joerg" },
    /* List-Id regular expression, case-insensitive */
    { "a", "List-Id: Dev list <DEV.lists.example.org>\n\n", "Lists" },
    /* header in the body does not count */
    { "a", "Subject: x\n\nList-Id: <dev.lists.example.org>\n", "Inbox" },
    /* account-specific rule does not apply to another account */
    { "other", "From: boss@work.com\n\n", "Inbox" },
    { "a", "From: boss@work.com\n\n", "Work" },
    /* "any" header */
    { "a", "X-Spam-Flag: YES\n\n", "Spam" },
    /* first match wins */
    { "shared", "To: anna@family.org, bob@family.org\n\n", "Anna" },
    /* hostile: no header block end, invalid UTF-8, junk lines */
    { "a", "\xff\xfe: x\nno colon here\n:\n", "Inbox" },
    { "a", "", "Inbox" },
};

static void
test_filters(void)
{
    PostieConfig cfg = { 0 };
    cfg.filters = g_ptr_array_new_with_free_func(free_filter);
    g_ptr_array_add(cfg.filters, mkfilter("shared", "To", FILTER_CONTAINS, "ANNA@", "Anna"));
    g_ptr_array_add(cfg.filters, mkfilter("shared", "to", FILTER_CONTAINS, "bob@", "Bob"));
    g_ptr_array_add(cfg.filters, mkfilter(NULL, "Delivered-To", FILTER_MATCHES,
                                          "^carol@dom\\.org$", "Carol"));
    g_ptr_array_add(cfg.filters, mkfilter(NULL, "X-Original-To", FILTER_CONTAINS,
                                          "dave@", "Dave"));
    g_ptr_array_add(cfg.filters, mkfilter(NULL, "Subject", FILTER_MATCHES,
                                          "jörg says hello", "Joerg"));
    g_ptr_array_add(cfg.filters, mkfilter(NULL, "List-Id", FILTER_MATCHES,
                                          "<dev\\.lists\\.example\\.org>", "Lists"));
    g_ptr_array_add(cfg.filters, mkfilter("a", "From", FILTER_CONTAINS, "@work.com", "Work"));
    g_ptr_array_add(cfg.filters, mkfilter(NULL, "any", FILTER_CONTAINS, "yes", "Spam"));

    for (gsize i = 0; i < G_N_ELEMENTS(filter_cases); i++) {
        const FilterCase *c = &filter_cases[i];
        Account acct = { 0 };
        acct.id = (char *)c->account;
        acct.inbox = (char *)"Inbox";
        const char *got = filter_folder_for(&cfg, &acct, c->message,
                                            strlen(c->message));
        if (g_strcmp0(got, c->folder) != 0)
            g_error("filter case %zu: got %s, want %s", i, got, c->folder);
    }
    g_ptr_array_unref(cfg.filters);
}

/* ---- the plan ---------------------------------------------------------------- */

#define DAY 86400
#define NOW ((gint64)1800000000)

typedef struct {
    const char *name;
    PlanPolicy policy;
    const char *uid;          /* the message's UID (NULL: no UIDL) */
    guint64 size;
    char state;               /* record state, 0: no record */
    gint64 age_days;
    FetchAct act;
    gboolean dele;
    gboolean dele_after;
} PlanCase;

static const PlanCase plan_cases[] = {
    { "new, leave",        { TRUE, 0, FALSE, FALSE, 0 }, "u", 100, 0, 0, ACT_RETR, FALSE, FALSE },
    { "new, no leave",     { FALSE, 0, FALSE, FALSE, 0 }, "u", 100, 0, 0, ACT_RETR, FALSE, TRUE },
    { "new, headers only", { FALSE, 0, FALSE, TRUE, 0 }, "u", 100, 0, 0, ACT_TOP, FALSE, FALSE },
    { "new, over limit",   { TRUE, 0, FALSE, FALSE, 50 }, "u", 100, 0, 0, ACT_TOP, FALSE, FALSE },
    { "new, at limit",     { TRUE, 0, FALSE, FALSE, 100 }, "u", 100, 0, 0, ACT_RETR, FALSE, FALSE },
    { "seen, leave",       { TRUE, 0, FALSE, FALSE, 0 }, "u", 100, 'D', 100, ACT_NONE, FALSE, FALSE },
    { "seen, no leave",    { FALSE, 0, FALSE, FALSE, 0 }, "u", 100, 'D', 0, ACT_NONE, TRUE, FALSE },
    { "seen, 7 days, 6",   { TRUE, 7, FALSE, FALSE, 0 }, "u", 100, 'D', 6, ACT_NONE, FALSE, FALSE },
    { "seen, 7 days, 7",   { TRUE, 7, FALSE, FALSE, 0 }, "u", 100, 'D', 7, ACT_NONE, TRUE, FALSE },
    { "deleted here, off", { TRUE, 0, FALSE, FALSE, 0 }, "u", 100, 'R', 0, ACT_NONE, FALSE, FALSE },
    { "deleted here, on",  { TRUE, 0, TRUE, FALSE, 0 }, "u", 100, 'R', 0, ACT_NONE, TRUE, FALSE },
    { "downloaded, when deleted", { TRUE, 0, TRUE, FALSE, 0 }, "u", 100, 'D', 0, ACT_NONE, FALSE, FALSE },
    { "headers, no leave", { FALSE, 1, TRUE, FALSE, 0 }, "u", 100, 'H', 99, ACT_NONE, FALSE, FALSE },
    { "want body",         { TRUE, 0, FALSE, FALSE, 0 }, "u", 100, 'G', 0, ACT_RETR_REPLACE, FALSE, FALSE },
    { "want body, no leave", { FALSE, 0, FALSE, FALSE, 0 }, "u", 100, 'G', 0, ACT_RETR_REPLACE, FALSE, TRUE },
    { "want delete",       { TRUE, 0, FALSE, FALSE, 0 }, "u", 100, 'X', 0, ACT_NONE, TRUE, FALSE },
    { "no uidl, leave",    { TRUE, 0, FALSE, FALSE, 0 }, NULL, 100, 0, 0, ACT_RETR, FALSE, FALSE },
    { "no uidl, no leave", { FALSE, 0, FALSE, FALSE, 0 }, NULL, 100, 0, 0, ACT_RETR, FALSE, TRUE },
};

static void
test_plan_table(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(plan_cases); i++) {
        const PlanCase *c = &plan_cases[i];
        GHashTable *recs = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 NULL, uidl_record_free);
        /* Another record, so the list shares a UID with the records. */
        UidlRecord *o = uidl_record_new("other", NOW, UIDL_DOWNLOADED);
        g_hash_table_replace(recs, o->uid, o);
        if (c->state) {
            UidlRecord *r = uidl_record_new(c->uid, NOW - c->age_days * DAY, c->state);
            uidl_record_set_folder(r, "Inbox");
            g_hash_table_replace(recs, r->uid, r);
        }
        ServerMsg msgs[2] = {
            { 1, (char *)c->uid, c->size, FALSE },
            { 2, (char *)"other", 10, FALSE },
        };
        FetchPlan *p = plan_make(msgs, 2, recs, &c->policy, NOW);
        const PlanItem *it = &g_array_index(p->items, PlanItem, 0);
        if (it->act != c->act || it->dele != c->dele ||
            it->dele_after_download != c->dele_after)
            g_error("plan case '%s': act %d dele %d after %d", c->name,
                    it->act, it->dele, it->dele_after_download);
        g_assert_false(p->uids_changed);
        plan_free(p);
        g_hash_table_unref(recs);
    }
}

static void
test_plan_duplicates_and_prune(void)
{
    GHashTable *recs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                             uidl_record_free);
    UidlRecord *r = uidl_record_new("dup", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    r = uidl_record_new("gone", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    r = uidl_record_new("keep", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    ServerMsg msgs[] = {
        { 1, (char *)"dup", 10, FALSE },
        { 2, (char *)"keep", 10, FALSE },
        { 3, (char *)"dup", 10, FALSE },
    };
    PlanPolicy pol = { FALSE, 0, FALSE, FALSE, 0 };
    FetchPlan *p = plan_make(msgs, 3, recs, &pol, NOW);
    g_assert_cmpuint(p->dup_uids->len, ==, 1);
    /* Both "dup" messages are downloaded (to compare contents) and neither
     * is deleted by UID; "keep" is deleted (no leave_on_server). */
    const PlanItem *a = &g_array_index(p->items, PlanItem, 0);
    const PlanItem *b = &g_array_index(p->items, PlanItem, 1);
    const PlanItem *c = &g_array_index(p->items, PlanItem, 2);
    g_assert_cmpint(a->act, ==, ACT_RETR);
    g_assert_false(a->dele || a->dele_after_download);
    g_assert_cmpint(c->act, ==, ACT_RETR);
    g_assert_false(c->dele || c->dele_after_download);
    g_assert_true(b->dele);
    g_assert_cmpuint(p->n_known, ==, 1);     /* "keep": fewer than the records */
    plan_free(p);

    g_assert_cmpuint(plan_prune(recs, msgs, 3, NULL), ==, 1);
    g_assert_false(g_hash_table_contains(recs, "gone"));

    /* Every record listed once: the plan says so, and fetch skips the
     * prune, which would drop nothing. */
    ServerMsg listed[] = { { 1, (char *)"dup", 10, FALSE }, { 2, (char *)"keep", 10, FALSE } };
    p = plan_make(listed, 2, recs, &pol, NOW);
    g_assert_cmpuint(p->n_known, ==, g_hash_table_size(recs));
    plan_free(p);
    g_assert_cmpuint(plan_prune(recs, listed, 2, NULL), ==, 0);

    /* Every UID changed: records are kept, the plan says so. */
    ServerMsg changed[] = { { 1, (char *)"n1", 10, FALSE }, { 2, (char *)"n2", 10, FALSE } };
    p = plan_make(changed, 2, recs, &pol, NOW);
    g_assert_true(p->uids_changed);
    plan_free(p);
    g_assert_cmpuint(plan_prune(recs, changed, 2, NULL), ==, 0);
    g_assert_cmpuint(g_hash_table_size(recs), ==, 2);
    /* An empty mailbox: nothing left to remember. */
    g_assert_cmpuint(plan_prune(recs, NULL, 0, NULL), ==, 2);
    g_hash_table_unref(recs);
}

/* A message identified by content that is already here: the same rule as
 * a downloaded UID, decided by the plan. */
static void
test_plan_dele_known(void)
{
    static const struct {
        const char *name;
        PlanPolicy policy;
        gboolean no_dele;
        gboolean has_record;
        gint64 age_days;
        gboolean dele;
    } cases[] = {
        { "leave, fresh",           { TRUE, 0, FALSE, FALSE, 0 }, FALSE, TRUE, 100, FALSE },
        { "no leave",               { FALSE, 0, FALSE, FALSE, 0 }, FALSE, TRUE, 0, TRUE },
        { "no leave, seen now",     { FALSE, 0, FALSE, FALSE, 0 }, FALSE, FALSE, 0, TRUE },
        { "no leave, duplicate",    { FALSE, 0, FALSE, FALSE, 0 }, TRUE, TRUE, 0, FALSE },
        { "7 days, 6",              { TRUE, 7, FALSE, FALSE, 0 }, FALSE, TRUE, 6, FALSE },
        { "7 days, 7",              { TRUE, 7, FALSE, FALSE, 0 }, FALSE, TRUE, 7, TRUE },
        { "7 days, seen now",       { TRUE, 7, FALSE, FALSE, 0 }, FALSE, FALSE, 0, FALSE },
        { "7 days, 7, duplicate",   { TRUE, 7, FALSE, FALSE, 0 }, TRUE, TRUE, 7, FALSE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        /* The item as plan_make makes it for a message without a UID. */
        ServerMsg m = { 1, NULL, 100, cases[i].no_dele };
        GHashTable *none = g_hash_table_new(g_str_hash, g_str_equal);
        FetchPlan *p = plan_make(&m, 1, none, &cases[i].policy, NOW);
        const PlanItem *it = &g_array_index(p->items, PlanItem, 0);
        UidlRecord *r = uidl_record_new("postie-sha256:00", NOW - cases[i].age_days * DAY,
                                        UIDL_DOWNLOADED);
        gboolean dele = plan_dele_known(it, cases[i].has_record ? r : NULL,
                                        &cases[i].policy, NOW);
        if (dele != cases[i].dele)
            g_error("dele-known case '%s': got %d", cases[i].name, dele);
        uidl_record_free(r);
        plan_free(p);
        g_hash_table_unref(none);
    }
}

/* popa3d gives two messages the same UID when their headers hash alike:
 * they are recorded by content, so later fetches find none of the listed
 * UIDs in the records, and that is no sign of a server that changed every
 * UID. */
static void
test_plan_only_shared_uids(void)
{
    GHashTable *recs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, uidl_record_free);
    UidlRecord *r = uidl_record_new("postie-sha256:aa", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    r = uidl_record_new("postie-sha256:bb", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    ServerMsg msgs[] = {
        { 1, (char *)"same", 10, FALSE },
        { 2, (char *)"same", 10, FALSE },
    };
    PlanPolicy pol = { TRUE, 0, FALSE, FALSE, 0 };
    FetchPlan *p = plan_make(msgs, 2, recs, &pol, NOW);
    g_assert_false(p->uids_changed);
    g_assert_cmpuint(p->dup_uids->len, ==, 1);
    plan_free(p);
    g_assert_cmpuint(plan_prune(recs, msgs, 2, NULL), ==, 0);

    /* With a record kept by UID (a message since deleted on the server). */
    r = uidl_record_new("old", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    p = plan_make(msgs, 2, recs, &pol, NOW);
    g_assert_false(p->uids_changed);
    plan_free(p);
    g_assert_cmpuint(plan_prune(recs, msgs, 2, NULL), ==, 1);
    g_assert_cmpuint(g_hash_table_size(recs), ==, 2);

    /* A UID of its own that matches nothing, beside the shared one: that
     * still looks like changed UIDs. */
    r = uidl_record_new("old", NOW, UIDL_DOWNLOADED);
    g_hash_table_replace(recs, r->uid, r);
    ServerMsg more[] = {
        { 1, (char *)"same", 10, FALSE },
        { 2, (char *)"same", 10, FALSE },
        { 3, (char *)"new", 10, FALSE },
    };
    p = plan_make(more, 3, recs, &pol, NOW);
    g_assert_true(p->uids_changed);
    plan_free(p);
    g_hash_table_unref(recs);
}

/* ---- message preparation ------------------------------------------------------ */

static void
test_message_prepare(void)
{
    /* (a sender's own flags, X-Mozilla-Status too, go: he does not mark
     * his message read or deleted) */
    const char *raw = "X-Postie-UIDL: acct victim\r\n"
                      "Subject: hi\r\n"
                      "X-Mozilla-Status: 0009\r\n"
                      "x-postie-uidl : other\r\n  folded\r\n"
                      "From: a@b\r\n"
                      "\r\n"
                      "X-Postie-UIDL: in body stays\r\n"
                      "last line without newline";
    GString *s = message_prepare(raw, strlen(raw), "my acct", "U1");
    g_assert_cmpstr(s->str, ==,
                    "X-Postie-UIDL: my acct U1\n"
                    "Subject: hi\n"
                    "From: a@b\n"
                    "\n"
                    "X-Postie-UIDL: in body stays\n"
                    "last line without newline\n");
    g_string_free(s, TRUE);

    g_autofree char *d1 = message_digest_uid("abc", 3);
    g_autofree char *d2 = message_digest_uid("abd", 3);
    g_assert_true(g_str_has_prefix(d1, "postie-sha256:"));
    g_assert_cmpstr(d1, !=, d2);
    g_assert_true(uidl_valid(d1));
}

/* A large message is prepared in pieces (spool.c): cut anywhere, the
 * result is what message_prepare gives for the whole. */
static void
test_message_prepare_pieces(void)
{
    static const char *const cases[] = {
        "X-Postie-UIDL: acct victim\r\nSubject: hi\r\nStatus: RO\r\n  folded\r\n"
        "From: a@b\r\n\r\nX-Postie-UIDL: in body\r\nline\r\r\nlast",
        "Subject: no body",
        "Subject: x\n\n\n\n",
        "Subject: x\r\n\r\nends in CR\r",
        "\r\n\r\nbody only\n",
        "Content-Length: 3\n\tcont\nA: b\n\nx\r\ry\r\n",
        "",
    };
    for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
        const char *raw = cases[c];
        gsize len = strlen(raw);
        GString *whole = message_prepare(raw, len, "a", "U");
        const char *want = whole->str + strlen("X-Postie-UIDL: a U\n");
        for (gsize cut1 = 0; cut1 <= len; cut1++) {
            for (gsize cut2 = cut1; cut2 <= len; cut2++) {
                GString *out = g_string_new(NULL);
                MessagePrep p;
                message_prep_init(&p);
                message_prep_feed(&p, raw, cut1, out);
                message_prep_feed(&p, raw + cut1, cut2 - cut1, out);
                message_prep_feed(&p, raw + cut2, len - cut2, out);
                message_prep_finish(&p, out);
                if (strcmp(out->str, want) != 0)
                    g_error("case %zu cut at %zu, %zu: \"%s\" != \"%s\"",
                            c, cut1, cut2, out->str, want);
                g_string_free(out, TRUE);
            }
        }
        g_string_free(whole, TRUE);
    }
}

/* The checksum recovery takes of a stored copy, read in pieces, is the
 * one of the copy read whole. */
static void
test_stored_sum(void)
{
    static const char *const msgs[] = {
        "Subject: a\nStatus: RO\n",
        "Subject: b\nX-Status: F\n  folded\nFrom: x@y\n\nFrom the body\n\n\n",
        "\n\n\n",
        "Subject: c\r\n\r\nbody\r\n>From quoted\r\n",
        "X-Postie-UIDL: a u\nSubject: d\n\nno newline at the end",
    };
    g_autofree char *dir = g_dir_make_tmp("postie-sum-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "F", NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(msgs); i++)
        g_assert_true(store_append(path, msgs[i], strlen(msgs[i]),
                                   i % 2 ? MSG_READ : MSG_PARTIAL, NULL));
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(store_folder_count(f), ==, G_N_ELEMENTS(msgs));
    for (guint i = 0; i < store_folder_count(f); i++) {
        g_autoptr(GBytes) b = store_folder_read(f, i, &error);
        gsize len, want_len = 0, got_len = 0;
        const char *data = g_bytes_get_data(b, &len);
        g_autofree char *want = message_canonical_sum(data, len, TRUE, &want_len);
        g_autofree char *got = message_stored_sum(f, i, &got_len, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(got, ==, want);
        g_assert_cmpuint(got_len, ==, want_len);
    }
    store_folder_close(f);
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(rm), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_mime_init();
    g_test_add_func("/fetch/records/parse", test_records_parse);
    g_test_add_func("/fetch/records/roundtrip", test_records_roundtrip);
    g_test_add_func("/fetch/records/lock-save", test_records_lock_and_save);
    g_test_add_func("/fetch/records/journal", test_records_journal);
    g_test_add_func("/fetch/records/uid-valid", test_uidl_valid);
    g_test_add_func("/fetch/records/path", test_path_escape);
    g_test_add_func("/fetch/marks", test_marks);
    g_test_add_func("/fetch/filters", test_filters);
    g_test_add_func("/fetch/plan/table", test_plan_table);
    g_test_add_func("/fetch/plan/duplicates-prune", test_plan_duplicates_and_prune);
    g_test_add_func("/fetch/plan/dele-known", test_plan_dele_known);
    g_test_add_func("/fetch/plan/only-shared-uids", test_plan_only_shared_uids);
    g_test_add_func("/fetch/message/prepare", test_message_prepare);
    g_test_add_func("/fetch/message/prepare-pieces", test_message_prepare_pieces);
    g_test_add_func("/fetch/message/stored-sum", test_stored_sum);
    int rc = g_test_run();
    g_mime_shutdown();
    return rc;
}
