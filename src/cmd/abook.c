/* postie abook: import, export, query (for mutt's query_command), list,
 * add and merge, on the address book of abook/. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "abook/abook.h"
#include "cmd/cmd.h"
#include "util/util.h"

static void
print_safe(FILE *out, const char *s)
{
    g_autofree char *safe = term_safe(s ? s : "", -1, 0);
    fputs(safe, out);
}

static void
print_problems(GPtrArray *problems)
{
    for (guint i = 0; problems && i < problems->len; i++) {
        g_autofree char *safe = term_safe(problems->pdata[i], -1, 0);
        fprintf(stderr, "postie: %s\n", safe);
    }
}

/* Open the book, printing (not failing on) lines that were skipped. */
static Abook *
open_book(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    Abook *ab = abook_open(NULL, &problems, &error);
    if (!ab) {
        cmd_print_error(error);
        return NULL;
    }
    print_problems(problems);
    return ab;
}

static gboolean
save_book(Abook *ab)
{
    g_autoptr(GError) error = NULL;
    if (!abook_save(ab, &error)) {
        cmd_print_error(error);
        return FALSE;
    }
    return TRUE;
}

/* ---- import ------------------------------------------------------------- */

static int
abook_import(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    char *format_name = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
          N_("vcard, mutt, csv or ldif (default: guessed from the file)"), N_("FORMAT") },
        { NULL }
    };
    if (!cmd_parse_options(&argc, &argv, entries, _("FILE"),
                           _("Add the contacts of FILE to the address book.")))
        return EXIT_USAGE;
    g_autofree char *fmt_owned = format_name;
    if (argc != 2) {
        cmd_usage_error("abook import", _("give one file to import"));
        return EXIT_USAGE;
    }
    AbookFormat format = ABOOK_FORMAT_AUTO;
    if (format_name && !abook_format_from_name(format_name, &format)) {
        cmd_usage_error("abook import", _("unknown format '%s'"), format_name);
        return EXIT_USAGE;
    }
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;

    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    gboolean ok = abook_import_file(ab, argv[1], format, &rep, &error);
    if (rep.note) {
        g_autofree char *safe = term_safe(rep.note, -1, 0);
        fprintf(stderr, "postie: %s\n", safe);
    }
    print_problems(rep.problems);
    if (!ok) {
        cmd_print_error(error);
        fprintf(stderr, _("postie: the address book was not changed\n"));
        abook_import_report_clear(&rep);
        return EXIT_FAIL;
    }
    if (!save_book(ab)) {
        abook_import_report_clear(&rep);
        return EXIT_FAIL;
    }
    guint skipped = rep.problems ? rep.problems->len : 0;
    g_autofree char *file = term_safe(argv[1], -1, 0);
    printf(_("%s: %u read as %s%s%s%s: %u added, %u merged by address, %u problems reported\n"),
           file, rep.found, abook_format_name(rep.format),
           rep.variant ? " (" : "", rep.variant ? rep.variant : "", rep.variant ? ")" : "",
           rep.added, rep.merged, skipped);
    abook_import_report_clear(&rep);
    return EXIT_OK;
}

/* ---- export ------------------------------------------------------------- */

static int
abook_export(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    char *format_name = NULL, *output = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
          N_("vcard (default) or csv"), N_("FORMAT") },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
          N_("write to FILE instead of standard output"), N_("FILE") },
        { NULL }
    };
    if (!cmd_parse_options(&argc, &argv, entries, NULL,
                           _("Write the whole address book as vCard 4.0 or CSV.")))
        return EXIT_USAGE;
    g_autofree char *fmt_owned = format_name, *out_owned = output;
    AbookFormat format = ABOOK_FORMAT_VCARD;
    if (argc != 1) {
        cmd_usage_error("abook export", _("unexpected argument '%s'"), argv[1]);
        return EXIT_USAGE;
    }
    if (format_name && (!abook_format_from_name(format_name, &format) ||
                        (format != ABOOK_FORMAT_VCARD && format != ABOOK_FORMAT_CSV))) {
        cmd_usage_error("abook export", _("cannot export as '%s' (vcard or csv)"), format_name);
        return EXIT_USAGE;
    }
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;
    g_autofree char *text = format == ABOOK_FORMAT_CSV ? abook_export_csv(ab)
                                                       : abook_export_vcard(ab);
    g_autoptr(GError) error = NULL;
    gboolean ok;
    if (output && strcmp(output, "-") != 0) {
        /* Contacts are private: the file is readable by its owner only. */
        ok = atomic_write_file(output, text, strlen(text), 0600, &error);
    } else {
        ok = write_all(1, text, strlen(text), _("standard output"), &error);
    }
    if (!ok) {
        cmd_print_error(error);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* ---- query (mutt's query_command) --------------------------------------- */

/* A field of a query line: no tabs or newlines can get through. */
static char *
query_field(const char *s)
{
    return term_safe(s ? s : "", -1, TERM_SAFE_DEFAULT);
}

static int
abook_query(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    GOptionEntry entries[] = { { NULL } };
    /* What the user typed in mutt may start with '-': only --help is an
     * option here. */
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) &&
        !cmd_parse_options(&argc, &argv, entries, _("STRING"),
                           _("Print the matching addresses the way mutt's "
                             "query_command expects:\na line of text, then "
                             "\"address<TAB>name<TAB>other\" lines.")))
        return EXIT_USAGE;
    if (argc >= 2 && strcmp(argv[1], "--") == 0) {
        argv++;
        argc--;
    }
    if (argc < 2) {
        cmd_usage_error("abook query", _("give the text to look for"));
        return EXIT_USAGE;
    }
    g_autofree char *query = g_strjoinv(" ", argv + 1);
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;
    g_autoptr(GPtrArray) found = abook_search(ab, query);
    GString *lines = g_string_new(NULL);
    guint n = 0;
    for (guint i = 0; i < found->len; i++) {
        const AbookContact *c = found->pdata[i];
        g_autofree char *name = query_field(c->fn);
        if (c->is_group) {
            g_autoptr(GPtrArray) members = abook_expand(ab, c->fn);
            if (!members || members->len == 0)
                continue;
            g_ptr_array_add(members, NULL);
            g_autofree char *list = g_strjoinv(", ", (char **)members->pdata);
            g_autofree char *addr = query_field(list);
            g_string_append_printf(lines, "%s\t%s\t%s\n", addr, name, _("group"));
            n++;
            continue;
        }
        GString *other = g_string_new(NULL);
        for (guint k = 0; k < c->nicknames->len; k++)
            g_string_append_printf(other, "%s%s", other->len ? ", " : "",
                                   (char *)c->nicknames->pdata[k]);
        if (c->org)
            g_string_append_printf(other, "%s%s", other->len ? "; " : "", c->org);
        g_autofree char *oth = query_field(other->str);
        g_string_free(other, TRUE);
        for (guint k = 0; k < c->emails->len; k++) {
            const AbookEmail *e = c->emails->pdata[k];
            g_autofree char *addr = query_field(e->address);
            gboolean named = g_ascii_strcasecmp(c->fn, e->address) != 0;
            g_string_append_printf(lines, "%s\t%s\t%s\n", addr, named ? name : "", oth);
            n++;
        }
    }
    g_autofree char *q = term_safe(query, -1, 0);
    if (n == 0) {
        /* mutt shows the first line and, with a non-zero exit, no list. */
        printf(_("No matches for '%s' in the postie address book.\n"), q);
        g_string_free(lines, TRUE);
        return EXIT_FAIL;
    }
    printf(ngettext("postie: %u address matches '%s'\n",
                    "postie: %u addresses match '%s'\n", n), n, q);
    fputs(lines->str, stdout);
    g_string_free(lines, TRUE);
    return EXIT_OK;
}

/* ---- list, add, merge --------------------------------------------------- */

static int
abook_list(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    GOptionEntry entries[] = { { NULL } };
    if (!cmd_parse_options(&argc, &argv, entries, _("[STRING]"),
                           _("List the contacts and groups (those matching STRING).")))
        return EXIT_USAGE;
    g_autofree char *query = argc > 1 ? g_strjoinv(" ", argv + 1) : g_strdup("");
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;
    g_autoptr(GPtrArray) found = abook_search(ab, query);
    for (guint i = 0; i < found->len; i++) {
        const AbookContact *c = found->pdata[i];
        print_safe(stdout, c->fn);
        if (c->is_group) {
            g_autoptr(GPtrArray) members = abook_expand(ab, c->fn);
            printf(" (%s):", _("group"));
            for (guint k = 0; members && k < members->len; k++) {
                fputs(k ? ", " : " ", stdout);
                print_safe(stdout, members->pdata[k]);
            }
        } else {
            for (guint k = 0; k < c->emails->len; k++) {
                fputs(k ? ", <" : " <", stdout);
                print_safe(stdout, ((AbookEmail *)c->emails->pdata[k])->address);
                fputs(">", stdout);
            }
            for (guint k = 0; k < c->nicknames->len; k++) {
                fputs(k ? ", " : " (", stdout);
                print_safe(stdout, c->nicknames->pdata[k]);
            }
            if (c->nicknames->len)
                fputs(")", stdout);
        }
        fputs("\n", stdout);
    }
    return EXIT_OK;
}

static int
abook_add_cmd(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    GOptionEntry entries[] = { { NULL } };
    if (!cmd_parse_options(&argc, &argv, entries, _("\"NAME <ADDRESS>\"..."),
                           _("Add people to the address book.")))
        return EXIT_USAGE;
    if (argc < 2) {
        cmd_usage_error("abook add", _("give at least one address"));
        return EXIT_USAGE;
    }
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;
    int rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        g_autoptr(GError) error = NULL;
        gboolean is_new = FALSE;
        AbookContact *c = abook_add_from_display(ab, argv[i], &is_new, &error);
        if (!c) {
            cmd_print_error(error);
            rc = EXIT_FAIL;
            continue;
        }
        g_autofree char *shown = abook_format_address(c->fn, abook_contact_primary(c));
        g_autofree char *safe = term_safe(shown, -1, 0);
        printf(is_new ? _("added: %s\n") : _("already in the address book: %s\n"), safe);
    }
    if (!save_book(ab))
        return EXIT_FAIL;
    return rc;
}

static int
abook_merge_cmd(CmdContext *ctx, int argc, char **argv)
{
    (void)ctx;   /* the address book needs no configuration */
    GOptionEntry entries[] = { { NULL } };
    if (!cmd_parse_options(&argc, &argv, entries, NULL,
                           _("Merge contacts that share an address or a full name.")))
        return EXIT_USAGE;
    g_autoptr(Abook) ab = open_book();
    if (!ab)
        return EXIT_FAIL;
    guint n = abook_merge_duplicates(ab);
    if (!save_book(ab))
        return EXIT_FAIL;
    printf(ngettext("%u contact merged into another\n",
                    "%u contacts merged into others\n", n), n);
    return EXIT_OK;
}

static void
usage(FILE *out)
{
    fprintf(out, "%s", _("Usage: postie abook COMMAND [ARGS...]\n\n"
                         "  import FILE [--format vcard|mutt|csv|ldif]\n"
                         "  export [--format vcard|csv] [--output FILE]\n"
                         "  query STRING     for mutt's query_command\n"
                         "  list [STRING]\n"
                         "  add \"NAME <ADDRESS>\"...\n"
                         "  merge            merge duplicate contacts\n\n"
                         "See postie-abook(1).\n"));
}

int
cmd_abook(CmdContext *ctx, int argc, char **argv)
{
    static const CmdSub subs[] = {
        { "import", abook_import }, { "export", abook_export },
        { "query", abook_query }, { "list", abook_list },
        { "add", abook_add_cmd }, { "merge", abook_merge_cmd },
    };
    return cmd_run_subcommand(ctx, "abook", subs, G_N_ELEMENTS(subs), usage, argc, argv);
}
