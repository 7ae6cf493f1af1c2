/* Unit tests for view/: the screen's logic without a screen (keys and
 * actions, colours by name, the layout of the panes, sorting, searching
 * and threading the message list). */
#include <config.h>

#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "config/conf.h"
#include "store/store.h"
#include "util/util.h"
#include "view/view.h"

static char *tmpdir;

/* A configuration file with TEXT after a minimal [general] group. */
static PostieConfig *
load_conf(const char *text, GPtrArray **problems)
{
    static int n;
    g_autofree char *path = g_strdup_printf("%s/config-%d", tmpdir, ++n);
    g_autofree char *all = g_strdup_printf("[general]\nmail_dir = %s/mail\n\n%s",
                                           tmpdir, text);
    g_assert_true(g_file_set_contents(path, all, -1, NULL));
    g_assert_cmpint(chmod(path, 0600), ==, 0);
    g_autoptr(GError) error = NULL;
    PostieConfig *cfg = conf_load(path, problems, &error);
    g_assert_no_error(error);
    return cfg;
}

/* The problems as "LINE: message" lines. */
static char *
problem_lines(GPtrArray *problems, const char *path)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < problems->len; i++) {
        g_autofree char *line = conf_problem_format(problems->pdata[i]);
        g_assert_true(g_str_has_prefix(line, path));
        g_string_append_printf(s, "%s\n", line + strlen(path) + 1);
    }
    return g_string_free(s, FALSE);
}

/* ---- keys ---------------------------------------------------------------- */

static void
test_parse_key(void)
{
    static const struct { const char *spec; int key; const char *name; } cases[] = {
        { "j", 'j', "j" },
        { "G", 'G', "G" },
        { "?", '?', "?" },
        { "ä", 0xe4, "ä" },
        { "<Down>", UI_KEY_FUNC | KEY_DOWN, "<Down>" },
        { "<down>", UI_KEY_FUNC | KEY_DOWN, "<Down>" },
        { "<PageUp>", UI_KEY_FUNC | KEY_PPAGE, "<PageUp>" },
        { "<Enter>", '\n', "<Enter>" },
        { "<Return>", '\r', "<Return>" },
        { "<Space>", ' ', "<Space>" },
        { "<Tab>", '\t', "<Tab>" },
        { "<Esc>", 27, "<Esc>" },
        { "<F1>", UI_KEY_FUNC | KEY_F(1), "<F1>" },
        { "<F24>", UI_KEY_FUNC | KEY_F(24), "<F24>" },
        { "^L", 12, "^L" },
        { "C-l", 12, "^L" },
        { "^@", 0, "^@" },
        /* not keys */
        { "", UI_KEY_NONE, NULL },
        { "jj", UI_KEY_NONE, NULL },
        { "<F25>", UI_KEY_NONE, NULL },
        { "<F0>", UI_KEY_NONE, NULL },
        { "<Nope>", UI_KEY_NONE, NULL },
        { "<>", UI_KEY_NONE, NULL },
        { "^1", UI_KEY_NONE, NULL },
        { "\x7f", UI_KEY_NONE, NULL },
        { "\x01", UI_KEY_NONE, NULL },
        { "\xff", UI_KEY_NONE, NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        int key = keymap_parse_key(cases[i].spec);
        if (key != cases[i].key)
            g_error("parse \"%s\": %d, not %d", cases[i].spec, key, cases[i].key);
        if (cases[i].name) {
            g_autofree char *name = keymap_key_name(key);
            g_assert_cmpstr(name, ==, cases[i].name);
            /* What is shown can be written back into [keys]. */
            g_assert_cmpint(keymap_parse_key(name), ==, key);
        }
    }
}

static void
test_default_keys(void)
{
    Keymap *km = keymap_new(NULL, NULL);
    const ActionInfo *actions = keymap_actions();
    for (int i = 0; i < ACT_COUNT - 1; i++) {
        const ActionInfo *a = &actions[i];
        g_assert_nonnull(a->name);
        g_assert_nonnull(a->help);
        /* Every default key of every action runs that action: no default
         * is taken away by a later one. */
        g_auto(GStrv) specs = g_strsplit(a->defaults, " ", -1);
        for (int k = 0; specs[k]; k++) {
            int key = keymap_parse_key(specs[k]);
            g_assert_cmpint(key, !=, UI_KEY_NONE);
            if (keymap_lookup(km, key) != a->action)
                g_error("default key %s of %s runs another action", specs[k], a->name);
        }
    }
    g_assert_cmpint(keymap_lookup(km, 'j'), ==, ACT_DOWN);
    g_assert_cmpint(keymap_lookup(km, UI_KEY_FUNC | KEY_DOWN), ==, ACT_DOWN);
    /* Enter arrives as \n, \r or KEY_ENTER. */
    g_assert_cmpint(keymap_lookup(km, '\n'), ==, ACT_OPEN);
    g_assert_cmpint(keymap_lookup(km, '\r'), ==, ACT_OPEN);
    g_assert_cmpint(keymap_lookup(km, UI_KEY_FUNC | KEY_ENTER), ==, ACT_OPEN);
    g_assert_cmpint(keymap_lookup(km, '~'), ==, ACT_NONE);
    g_autofree char *down = keymap_keys_for(km, ACT_DOWN);
    g_assert_cmpstr(down, ==, "j, <Down>");
    g_autofree char *help = keymap_first_key(km, ACT_HELP);
    g_assert_cmpstr(help, ==, "?");
    keymap_free(km);
}

static void
test_rebinding(void)
{
    g_autoptr(GPtrArray) problems = NULL;
    PostieConfig *cfg = load_conf("[keys]\n"
                                  "down = <Down> x\n"          /* line 5 */
                                  "fly = f\n"                  /* line 6 */
                                  "up = <Nope> ^P\n"           /* line 7 */
                                  "quit = <Nope>\n"            /* line 8 */
                                  "help = \n",                 /* line 9 */
                                  &problems);
    g_assert_cmpuint(problems->len, ==, 0);   /* conf_load does not know [keys] */
    Keymap *km = keymap_new(cfg, problems);
    g_autofree char *lines = problem_lines(problems, cfg->path);
    g_assert_cmpstr(lines, ==,
        "6: fly: unknown action \"fly\" (see postie-keys(7))\n"
        "8: quit: \"<Nope>\" is not a key (a character, ^X, or a name such as <Down>)\n"
        "7: up: \"<Nope>\" is not a key (a character, ^X, or a name such as <Down>)\n");
    /* Configured keys replace the action's defaults. */
    g_assert_cmpint(keymap_lookup(km, 'x'), ==, ACT_DOWN);
    g_assert_cmpint(keymap_lookup(km, 'j'), ==, ACT_NONE);
    g_assert_cmpint(keymap_lookup(km, 16), ==, ACT_UP);       /* the good key is kept */
    g_assert_cmpint(keymap_lookup(km, 'k'), ==, ACT_NONE);
    g_assert_cmpint(keymap_lookup(km, 'q'), ==, ACT_QUIT);    /* nothing usable: defaults stay */
    g_assert_cmpint(keymap_lookup(km, '?'), ==, ACT_NONE);    /* empty: unbound */
    g_autofree char *first = keymap_first_key(km, ACT_HELP);
    g_assert_cmpstr(first, ==, "-");
    /* A key taken by another action leaves its old one. */
    keymap_free(km);
    g_autoptr(GPtrArray) p2 = g_ptr_array_new_with_free_func(conf_problem_free);
    PostieConfig *cfg2 = load_conf("[keys]\nfetch = j\n", NULL);
    km = keymap_new(cfg2, p2);
    g_assert_cmpuint(p2->len, ==, 0);
    g_assert_cmpint(keymap_lookup(km, 'j'), ==, ACT_FETCH);
    g_autofree char *down = keymap_keys_for(km, ACT_DOWN);
    g_assert_cmpstr(down, ==, "<Down>");
    keymap_free(km);
    conf_free(cfg2);
    conf_free(cfg);
}

/* ---- colours ------------------------------------------------------------- */

static void
test_colors(void)
{
    static const struct { const char *spec; gboolean ok; short fg, bg; gboolean bold; } cases[] = {
        { "red", TRUE, COLOR_RED, -1, FALSE },
        { "red blue", TRUE, COLOR_RED, COLOR_BLUE, FALSE },
        { "  brightred \t default ", TRUE, COLOR_RED, -1, TRUE },
        { "BrightWhite Black", TRUE, COLOR_WHITE, COLOR_BLACK, TRUE },
        { "color0 color255", TRUE, 0, 255, FALSE },
        { "default default", TRUE, -1, -1, FALSE },
        { "color256", FALSE, 0, 0, FALSE },
        { "color", FALSE, 0, 0, FALSE },
        { "color-1", FALSE, 0, 0, FALSE },
        { "pink", FALSE, 0, 0, FALSE },
        { "red blue green", FALSE, 0, 0, FALSE },
        { "", FALSE, 0, 0, FALSE },
        { "red brightpink", FALSE, 0, 0, FALSE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        short fg = 99, bg = 99;
        gboolean bold = FALSE;
        gboolean ok = colors_parse_pair(cases[i].spec, &fg, &bg, &bold);
        if (ok != cases[i].ok)
            g_error("colours \"%s\": %d", cases[i].spec, ok);
        if (ok && (fg != cases[i].fg || bg != cases[i].bg || bold != cases[i].bold))
            g_error("colours \"%s\": %d %d %d", cases[i].spec, fg, bg, bold);
    }

    g_autoptr(GPtrArray) problems = NULL;
    PostieConfig *cfg = load_conf("[colors]\n"
                                  "status = yellow black\n"     /* line 5 */
                                  "sparkle = red\n"             /* line 6 */
                                  "new = pink\n",               /* line 7 */
                                  &problems);
    colors_check(cfg, problems);
    g_autofree char *lines = problem_lines(problems, cfg->path);
    g_assert_cmpstr(lines, ==,
        "7: new: \"pink\" is not \"foreground [background]\" colours\n"
        "6: sparkle: unknown screen element \"sparkle\"\n");
    short fg, bg;
    gboolean bold;
    colors_of(cfg, COL_STATUS, &fg, &bg, &bold);     /* configured */
    g_assert_cmpint(fg, ==, COLOR_YELLOW);
    g_assert_cmpint(bg, ==, COLOR_BLACK);
    colors_of(cfg, COL_NEW, &fg, &bg, &bold);        /* bad: the default */
    g_assert_cmpint(fg, ==, COLOR_YELLOW);
    g_assert_cmpint(bg, ==, -1);
    g_assert_true(bold);
    colors_of(NULL, COL_INDICATOR, &fg, &bg, &bold);
    g_assert_cmpint(fg, ==, COLOR_BLACK);
    g_assert_cmpint(bg, ==, COLOR_CYAN);
    for (int c = 0; c < COL_COUNT; c++)
        g_assert_nonnull(colors_element_name((UiColor)c));
    g_assert_cmpstr(colors_element_name(COL_PARTIAL), ==, "partial");

    /* What "postie config check" runs: keys and colours together. */
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(conf_problem_free);
    PostieConfig *both = load_conf("[keys]\nfly = f\n[colors]\nsparkle = red\n", NULL);
    view_check_config(both, all);
    g_assert_cmpuint(all->len, ==, 2);
    conf_free(both);
    conf_free(cfg);
}

/* ---- layout -------------------------------------------------------------- */

static gboolean
inside(const Rect *r, int lines, int cols)
{
    return r->h == 0 || r->w == 0 ||
           (r->y >= 0 && r->x >= 0 && r->y + r->h <= lines && r->x + r->w <= cols);
}

static gboolean
overlap(const Rect *a, const Rect *b)
{
    if (a->h == 0 || a->w == 0 || b->h == 0 || b->w == 0)
        return FALSE;
    return a->x < b->x + b->w && b->x < a->x + a->w &&
           a->y < b->y + b->h && b->y < a->y + a->h;
}

static void
test_layout(void)
{
    static const int sizes[][2] = {
        { 24, 80 }, { 30, 100 }, { 50, 250 }, { 4, 10 }, { 10, 30 }, { 8, 59 },
        { 8, 60 }, { 200, 400 },
    };
    for (gsize s = 0; s < G_N_ELEMENTS(sizes); s++)
        for (int folders = 0; folders < 2; folders++)
            for (int mode = PREVIEW_BELOW; mode <= PREVIEW_OFF; mode++)
                for (int pct = 0; pct <= 100; pct += 25) {
                    int lines = sizes[s][0], cols = sizes[s][1];
                    Layout l;
                    layout_compute(&l, lines, cols, folders, mode, pct);
                    const Rect *r[] = { &l.hint, &l.status, &l.message, &l.folders,
                                        &l.list, &l.divider, &l.preview };
                    for (gsize i = 0; i < G_N_ELEMENTS(r); i++) {
                        g_assert_true(inside(r[i], lines, cols));
                        for (gsize j = i + 1; j < G_N_ELEMENTS(r); j++)
                            if (overlap(r[i], r[j]))
                                g_error("%dx%d folders=%d mode=%d %d%%: panes %zu and %zu overlap",
                                        lines, cols, folders, mode, pct, i, j);
                    }
                    g_assert_cmpint(l.hint.y, ==, 0);
                    g_assert_cmpint(l.status.y, ==, lines - 2);
                    g_assert_cmpint(l.message.y, ==, lines - 1);
                    g_assert_cmpint(l.list.h, >=, 1);
                    if (mode == PREVIEW_OFF)
                        g_assert_true(l.preview.h == 0 || l.preview.w == 0);
                    if (!folders || cols < 60)
                        g_assert_cmpint(l.folders.w, ==, 0);
                }
    /* The usual screen: list over preview, half and half. */
    Layout l;
    layout_compute(&l, 30, 100, FALSE, PREVIEW_BELOW, 50);
    g_assert_cmpint(l.list.y, ==, 1);
    g_assert_cmpint(l.list.h + l.divider.h + l.preview.h, ==, 27);
    g_assert_cmpint(l.preview.h, ==, 13);
    layout_compute(&l, 30, 100, TRUE, PREVIEW_RIGHT, 50);
    g_assert_cmpint(l.folders.w, ==, 16);
    g_assert_cmpint(l.list.x, ==, 17);
    g_assert_cmpint(l.list.w + l.divider.w + l.preview.w, ==, 83);
}

/* ---- sorting, searching, threads ----------------------------------------- */

static StoreFolder *
folder_of(const char *mbox)
{
    static int n;
    g_autofree char *path = g_strdup_printf("%s/folder-%d", tmpdir, ++n);
    g_assert_true(g_file_set_contents(path, mbox, -1, NULL));
    g_autoptr(GError) error = NULL;
    StoreFolder *f = store_folder_open(path, &error);
    g_assert_no_error(error);
    return f;
}

#define MSG(from, subject, date, id, refs, body) \
    "From x@y Mon Jan  1 00:00:00 2024\n" \
    "From: " from "\nSubject: " subject "\nDate: " date "\n" \
    "Message-ID: " id "\n" refs "\n" body "\n\n"

static const char five[] =
    MSG("Carol <carol@example.org>", "Re: Budget", "Tue, 02 Jan 2024 10:00:00 +0000",
        "<c@x>", "In-Reply-To: <a@x>", "short")
    MSG("alice@example.org", "Budget", "Mon, 01 Jan 2024 10:00:00 +0000",
        "<a@x>", "X-None: 1", "a longer body than the others, to be the largest one")
    MSG("Bob <bob@example.org>", "Lunch", "Wed, 03 Jan 2024 10:00:00 +0000",
        "<b@x>", "X-None: 1", "b")
    MSG("Dave <dave@example.org>", "AW: Re: Budget", "Thu, 04 Jan 2024 10:00:00 +0000",
        "<d@x>", "References: <a@x> <c@x>", "d")
    MSG("Élodie <elodie@example.org>", "Zebra", "Fri, 05 Jan 2024 10:00:00 +0000",
        "<e@x>", "References: <e@x>", "e");

/* The view's rows as folder indexes, e.g. "1 0 2". */
static char *
order(const MsgView *v)
{
    GString *s = g_string_new(NULL);
    for (guint r = 0; r < v->rows; r++)
        g_string_append_printf(s, "%s%u", r ? " " : "", v->order[r]);
    return g_string_free(s, FALSE);
}

static void
expect_order(MsgView *v, SortKey k, gboolean reverse, const char *want)
{
    v->sort = k;
    v->reverse = reverse;
    view_rebuild(v, FALSE);
    g_autofree char *got = order(v);
    if (strcmp(got, want) != 0)
        g_error("sort %s%s: \"%s\", not \"%s\"", sort_name(k), reverse ? " reversed" : "",
                got, want);
    for (guint r = 0; r < v->n; r++)
        g_assert_cmpint(view_row_of(v, v->order[r]), ==, (int)r);
}

static void
test_sort_and_search(void)
{
    StoreFolder *f = folder_of(five);
    g_assert_cmpuint(store_folder_count(f), ==, 5);
    MsgView v;
    view_init(&v, f, SORT_DATE, FALSE);
    expect_order(&v, SORT_DATE, FALSE, "1 0 2 3 4");
    expect_order(&v, SORT_DATE, TRUE, "4 3 2 0 1");
    /* Senders casefolded: alice, bob, carol, dave, élodie. */
    expect_order(&v, SORT_SENDER, FALSE, "1 2 0 3 4");
    /* Subjects without Re:/AW: (ties in folder order): Budget x3, Lunch, Zebra. */
    expect_order(&v, SORT_SUBJECT, FALSE, "0 1 3 2 4");
    /* By size, largest first: each row at most as large as the one above. */
    v.sort = SORT_SIZE;
    v.reverse = TRUE;
    view_rebuild(&v, FALSE);
    g_assert_cmpuint(v.order[0], ==, 1);
    for (guint r = 1; r < v.n; r++)
        g_assert_cmpuint(store_folder_get(f, v.order[r])->size, <=,
                         store_folder_get(f, v.order[r - 1])->size);
    g_assert_cmpint(view_row_of(&v, 99), ==, -1);

    SortKey k;
    for (int i = 0; i < SORT_COUNT; i++) {
        g_assert_true(sort_from_name(sort_name((SortKey)i), &k));
        g_assert_cmpint(k, ==, i);
    }
    g_assert_true(sort_from_name("Subject", &k));
    g_assert_false(sort_from_name("colour", &k));
    g_assert_false(sort_from_name(NULL, &k));

    /* Search: the next row after FROM whose message matches (text
     * without '~': sender or subject), wrapping, either way. */
    expect_order(&v, SORT_DATE, FALSE, "1 0 2 3 4");
    g_autoptr(GError) error = NULL;
    g_autoptr(Pattern) budget = pattern_parse("budget", 0, &error);
    g_assert_no_error(error);
    g_assert_cmpint(view_search(&v, budget, 0, FALSE, &error), ==, 1);
    g_assert_cmpint(view_search(&v, budget, 1, FALSE, &error), ==, 3);
    g_assert_cmpint(view_search(&v, budget, 3, FALSE, &error), ==, 0);   /* wraps */
    g_assert_cmpint(view_search(&v, budget, 0, TRUE, &error), ==, 3);    /* backwards */
    g_autoptr(Pattern) elo = pattern_parse("élodie", 0, &error);
    g_assert_no_error(error);
    g_assert_cmpint(view_search(&v, elo, 0, FALSE, &error), ==, 4);
    g_autoptr(Pattern) nobody = pattern_parse("nobody", 0, &error);
    g_assert_cmpint(view_search(&v, nobody, 0, FALSE, &error), ==, -1);
    g_assert_no_error(error);

    /* A limit keeps the matching rows only; a tag survives a rebuild and
     * is what ~T matches. */
    v.limit = pattern_parse("~s budget", 0, &error);
    g_assert_no_error(error);
    view_rebuild(&v, FALSE);
    g_assert_cmpuint(v.rows, ==, 3);
    g_autofree char *limited = order(&v);
    g_assert_cmpstr(limited, ==, "1 0 3");
    g_assert_cmpint(view_row_of(&v, 2), ==, -1);
    g_clear_pointer(&v.limit, pattern_free);
    tags_set(&v, 2, TRUE);
    view_rebuild(&v, TRUE);
    g_assert_cmpuint(v.rows, ==, 5);
    g_assert_cmpuint(v.ntagged, ==, 1);
    g_assert_true(v.tagged[2]);
    g_autoptr(Pattern) tagged = pattern_parse("~T", 0, &error);
    g_assert_no_error(error);
    g_assert_cmpint(view_search(&v, tagged, 0, FALSE, &error), ==, 2);
    tags_clear(&v);
    view_clear(&v);
    store_folder_close(f);
}

static void
test_threads(void)
{
    StoreFolder *f = folder_of(five);
    MsgView v;
    view_init(&v, f, SORT_DATE, TRUE);
    /* Budget (a) with Carol's reply (c) and Dave's reply to both (d, under
     * c, the last of its References); Lunch; Zebra, which names itself. */
    g_autofree char *got = order(&v);
    g_assert_cmpstr(got, ==, "1 0 3 2 4");
    g_assert_cmpint(v.depth[0], ==, 0);
    g_assert_cmpint(v.depth[1], ==, 1);
    g_assert_cmpint(v.depth[2], ==, 2);
    g_assert_cmpint(v.depth[3], ==, 0);
    g_assert_cmpint(v.depth[4], ==, 0);
    view_clear(&v);
    store_folder_close(f);

    /* A loop of references (hostile headers): every message still shows
     * once, nothing hangs. */
    static const char loop[] =
        MSG("a@x", "one", "Mon, 01 Jan 2024 10:00:00 +0000", "<1@x>", "In-Reply-To: <2@x>", "1")
        MSG("b@x", "two", "Tue, 02 Jan 2024 10:00:00 +0000", "<2@x>", "In-Reply-To: <3@x>", "2")
        MSG("c@x", "three", "Wed, 03 Jan 2024 10:00:00 +0000", "<3@x>", "In-Reply-To: <1@x>", "3");
    f = folder_of(loop);
    view_init(&v, f, SORT_DATE, TRUE);
    g_assert_cmpuint(v.n, ==, 3);
    gboolean seen[3] = { FALSE, FALSE, FALSE };
    for (guint r = 0; r < v.n; r++) {
        g_assert_cmpuint(v.order[r], <, 3);
        g_assert_false(seen[v.order[r]]);
        seen[v.order[r]] = TRUE;
    }
    view_clear(&v);
    store_folder_close(f);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    tmpdir = g_dir_make_tmp("postie-view-XXXXXX", NULL);
    g_test_add_func("/view/keys/parse", test_parse_key);
    g_test_add_func("/view/keys/defaults", test_default_keys);
    g_test_add_func("/view/keys/rebinding", test_rebinding);
    g_test_add_func("/view/colors", test_colors);
    g_test_add_func("/view/layout", test_layout);
    g_test_add_func("/view/sort-search", test_sort_and_search);
    g_test_add_func("/view/threads", test_threads);
    int rc = g_test_run();
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", tmpdir);
    (void)!system(rm);
    g_free(tmpdir);
    return rc;
}
