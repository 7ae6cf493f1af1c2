/* postie fetch: fetch mail from the POP3 accounts, and act on messages
 * of which only the headers were fetched. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "fetch/fetch.h"
#include "store/store.h"
#include "util/util.h"

typedef struct {
    gboolean tty;
    gboolean quiet;
    gboolean bar_shown;
} Progress;

static void
format_bytes(char *buf, gsize size, guint64 n)
{
    g_autofree char *s = g_format_size(n);
    g_strlcpy(buf, s, size);
}

static void
clear_bar(Progress *p)
{
    if (p->bar_shown) {
        fputs("\r\033[K", stderr);
        p->bar_shown = FALSE;
    }
}

static void
on_started(const char *account, guint n_new, guint64 bytes, gpointer data)
{
    Progress *p = data;
    if (p->quiet || n_new == 0)
        return;
    char b[32];
    format_bytes(b, sizeof b, bytes);
    g_autofree char *acct = term_safe(account, -1, 0);
    if (!p->tty)
        printf(ngettext("%s: %u message to download (%s)\n",
                        "%s: %u messages to download (%s)\n", n_new),
               acct, n_new, b);
}

static void
on_message(const char *account, guint n, guint of, guint64 bytes_done,
           guint64 bytes_total, gpointer data)
{
    Progress *p = data;
    if (p->quiet || !p->tty)
        return;
    char done[32], total[32];
    format_bytes(done, sizeof done, bytes_done);
    format_bytes(total, sizeof total, bytes_total);
    g_autofree char *acct = term_safe(account, -1, 0);
    g_autofree char *text = g_strdup_printf(_("%s: message %u of %u, %s of %s"),
                                            acct, n, of, done, total);
    int width = 20;
    int filled = of ? (int)((guint64)width * n / of) : width;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r\033[K[%s] %s", bar, text);
    fflush(stderr);
    p->bar_shown = TRUE;
}

static void
on_warning(const char *account, const char *message, gpointer data)
{
    Progress *p = data;
    clear_bar(p);
    g_autofree char *acct = term_safe(account, -1, 0);
    g_autofree char *msg = term_safe(message, -1, 0);
    fprintf(stderr, _("postie: warning: account %s: %s\n"), acct, msg);
}

static void
on_finished(const char *account, const FetchSummary *s, const GError *error,
            gpointer data)
{
    Progress *p = data;
    clear_bar(p);
    if (error) {
        g_autofree char *msg = term_safe(error->message, -1, 0);
        fprintf(stderr, "postie: %s\n", msg);
        return;
    }
    if (p->quiet)
        return;
    g_autofree char *acct = term_safe(account, -1, 0);
    /* TRANSLATORS: a summary line per account after fetching. */
    printf(_("%s: %u new, %u headers only, %u left on server, %u deleted on server\n"),
           acct, s->n_new, s->n_headers_only, s->n_left, s->n_deleted);
    fflush(stdout);
}

/* --download / --delete-on-server with --folder: message numbers of the
 * folder (as "postie list" shows them), mapped through X-Postie-UIDL. */
static gboolean
mark_by_number(PostieConfig *cfg, const char *folder, char **numbers,
               gboolean download, GPtrArray *accounts)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *path = store_path_for(cfg->mail_dir, folder, &error);
    StoreFolder *f = path ? store_folder_open(path, &error) : NULL;
    if (!f) {
        cmd_print_error(error);
        return FALSE;
    }
    gboolean ok = TRUE;
    for (char **n = numbers; n && *n; n++) {
        guint64 i;
        const StoreMessage *m = NULL;
        if (g_ascii_string_to_unsigned(*n, 10, 1, G_MAXUINT, &i, NULL))
            m = store_folder_get(f, (guint)i - 1);
        if (!m) {
            cmd_errorf(_("%s: no message %s"), folder, *n);
            ok = FALSE;
            continue;
        }
        g_autofree char *acct = NULL, *uid = NULL;
        if (!m->uidl || !fetch_parse_uidl_header(m->uidl, &acct, &uid) ||
            !conf_find_account(cfg, acct)) {
            cmd_errorf(_("%s: message %s was not fetched by an account of "
                         "this configuration"), folder, *n);
            ok = FALSE;
            continue;
        }
        if (download && !(m->flags & MSG_PARTIAL)) {
            cmd_errorf(_("%s: message %s is already complete"), folder, *n);
            ok = FALSE;
            continue;
        }
        gboolean marked = download ? fetch_mark_download(acct, uid, &error)
                                   : fetch_mark_delete_on_server(acct, uid, &error);
        if (!marked) {
            cmd_print_error(error);
            g_clear_error(&error);
            ok = FALSE;
            continue;
        }
        Account *a = conf_find_account(cfg, acct);
        if (!g_ptr_array_find(accounts, a, NULL))
            g_ptr_array_add(accounts, a);
    }
    store_folder_close(f);
    return ok;
}

static gboolean
mark_by_uid(Account *a, char **uids, gboolean download)
{
    gboolean ok = TRUE;
    for (char **u = uids; u && *u; u++) {
        g_autoptr(GError) error = NULL;
        gboolean marked = download ? fetch_mark_download(a->id, *u, &error)
                                   : fetch_mark_delete_on_server(a->id, *u, &error);
        if (!marked) {
            cmd_print_error(error);
            ok = FALSE;
        }
    }
    return ok;
}

static void
list_partial(GPtrArray *accounts)
{
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = accounts->pdata[i];
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) parts = fetch_list_partial(a->id, &error);
        if (!parts) {
            cmd_print_error(error);
            continue;
        }
        g_autofree char *acct = term_safe(a->id, -1, 0);
        for (guint j = 0; j < parts->len; j++) {
            const FetchPartial *p = parts->pdata[j];
            const char *what = p->state == 'G' ? _("download requested") :
                               p->state == 'X' ? _("deletion requested") :
                               _("headers only");
            g_autofree char *folder = term_safe(p->folder, -1, 0);
            printf("%s\t%s\t%s\t%s\n", acct, p->uid, folder, what);
        }
    }
}

int
cmd_fetch(CmdContext *ctx, int argc, char **argv)
{
    g_auto(GStrv) names = NULL, download = NULL, delete = NULL;
    gboolean headers_only = FALSE, quiet = FALSE, list = FALSE;
    g_autofree char *folder = NULL;
    const GOptionEntry entries[] = {
        { "account", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &names,
          N_("fetch only this account (may be repeated)"), N_("NAME") },
        { "headers-only", 'H', 0, G_OPTION_ARG_NONE, &headers_only,
          N_("download only the headers of new messages"), NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          N_("print only errors and warnings"), NULL },
        { "list-headers-only", 'l', 0, G_OPTION_ARG_NONE, &list,
          N_("list the messages of which only headers were fetched, then exit"), NULL },
        { "download", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &download,
          N_("fetch the rest of a headers-only message (a UID, or a message "
             "number with --folder; may be repeated)"), N_("UID|N") },
        { "delete-on-server", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &delete,
          N_("delete a message on the server (a UID, or a message number "
             "with --folder; may be repeated)"), N_("UID|N") },
        { "folder", 'f', 0, G_OPTION_ARG_STRING, &folder,
          N_("--download and --delete-on-server name message numbers of FOLDER"),
          N_("FOLDER") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, "",
                           _("Fetch new mail from the POP3 accounts.")))
        return EXIT_USAGE;
    if (argc > 1) {
        cmd_usage_error("fetch", _("unexpected argument: %s"), argv[1]);
        return EXIT_USAGE;
    }
    PostieConfig *cfg = cmd_load_config(ctx);
    if (!cfg)
        return EXIT_FAIL;

    g_autoptr(GPtrArray) accounts = g_ptr_array_new();
    for (char **n = names; n && *n; n++) {
        Account *a = conf_find_account(cfg, *n);
        if (!a) {
            cmd_usage_error("fetch", _("no account named \"%s\""), *n);
            return EXIT_USAGE;
        }
        if (!g_ptr_array_find(accounts, a, NULL))
            g_ptr_array_add(accounts, a);
    }
    gboolean marking = download || delete;
    if (list) {
        if (accounts->len == 0)
            for (guint i = 0; i < cfg->accounts->len; i++)
                g_ptr_array_add(accounts, cfg->accounts->pdata[i]);
        list_partial(accounts);
        return EXIT_OK;
    }
    if (marking) {
        gboolean ok;
        if (folder) {
            ok = mark_by_number(cfg, folder, download, TRUE, accounts) &
                 mark_by_number(cfg, folder, delete, FALSE, accounts);
        } else {
            if (accounts->len != 1) {
                cmd_usage_error("fetch", _("--download and --delete-on-server "
                                           "with UIDs need exactly one --account "
                                           "(or --folder and message numbers)"));
                return EXIT_USAGE;
            }
            ok = mark_by_uid(accounts->pdata[0], download, TRUE) &
                 mark_by_uid(accounts->pdata[0], delete, FALSE);
        }
        if (!ok)
            return EXIT_FAIL;
    } else if (accounts->len == 0) {
        for (guint i = 0; i < cfg->accounts->len; i++) {
            Account *a = cfg->accounts->pdata[i];
            if (a->fetch && a->pop3.host)
                g_ptr_array_add(accounts, a);
        }
        if (accounts->len == 0) {
            cmd_errorf(_("no account to fetch: add an [account NAME] with a "
                         "pop3 server (see postie.conf(5))"));
            return EXIT_FAIL;
        }
    }

    Progress progress = { isatty(STDERR_FILENO) && !quiet, quiet, FALSE };
    FetchCallbacks cb = { on_started, on_message, on_finished, on_warning };
    FetchOptions options = { headers_only };
    g_autoptr(GString) failed = g_string_new(NULL);
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = accounts->pdata[i];
        if (!fetch_account(cfg, a, &options, &cb, &progress, NULL, NULL)) {
            g_autofree char *acct = term_safe(a->id, -1, 0);
            g_string_append_printf(failed, "%s%s", failed->len ? ", " : "", acct);
        }
    }
    if (failed->len) {
        cmd_errorf(_("fetching failed for: %s"), failed->str);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
