/* Reading one message for the show, attachments and save commands. */
#include <config.h>

#include <string.h>

#include "cmd/message.h"
#include "store/store.h"
#include "util/util.h"

static gboolean
parse_number(const char *s, guint64 *n)
{
    if (!s || !*s)
        return FALSE;
    for (const char *p = s; *p; p++)
        if (!g_ascii_isdigit(*p))
            return FALSE;
    return g_ascii_string_to_unsigned(s, 10, 1, G_MAXUINT, n, NULL);
}

MimeView *
cmd_message_view(CmdContext *ctx, const char *folder, const char *number)
{
    guint64 n = 0;
    if (!parse_number(number, &n)) {
        g_autofree char *safe = term_safe(number ? number : "", -1, 0);
        cmd_errorf(_("'%s' is not a message number (1, 2, ... as 'postie list' shows)"), safe);
        return NULL;
    }
    g_autoptr(GError) error = NULL;
    g_autofree char *path = cmd_folder_path(ctx, folder ? folder : STORE_INBOX, &error);
    if (!path) {
        cmd_print_error(error);
        return NULL;
    }
    StoreFolder *f = store_folder_open(path, &error);
    if (!f) {
        cmd_print_error(error);
        return NULL;
    }
    guint count = store_folder_count(f);
    if (n > count) {
        g_autofree char *safe = term_safe(path, -1, 0);
        cmd_errorf(ngettext("no message %u in %s: it holds %u message",
                            "no message %u in %s: it holds %u messages", count),
                   (guint)n, safe, count);
        store_folder_close(f);
        return NULL;
    }
    GBytes *raw = store_folder_read(f, (guint)(n - 1), &error);
    store_folder_close(f);
    if (!raw) {
        cmd_print_error(error);
        return NULL;
    }
    mime_init();
    MimeViewOptions opts = { ctx->config ? ctx->config->html_converter : NULL, NULL, FALSE };
    MimeView *v = mime_view_new(raw, &opts, &error);
    g_bytes_unref(raw);
    if (!v) {
        cmd_print_error(error);
        return NULL;
    }
    const char *name = folder ? folder : STORE_INBOX;
    gboolean plain = name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789._/-")] == '\0';
    g_autofree char *quoted = plain ? g_strdup(name) : g_shell_quote(name);
    g_autofree char *how = g_strdup_printf(
        _("Run \"postie fetch --download %u --folder %s\" to download it."), (guint)n, quoted);
    mime_view_note_headers_only(v, how);
    return v;
}

MimeView *
cmd_message_from_args(CmdContext *ctx, int argc, char **argv,
                      const char *summary, int *exit_code)
{
    g_autofree char *folder = NULL;
    GOptionEntry entries[] = {
        { "folder", 'f', 0, G_OPTION_ARG_FILENAME, &folder,
          N_("the folder: a name in the mail directory or a path (default Inbox)"),
          N_("NAME|PATH") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    const char *command = argv[0];
    *exit_code = EXIT_USAGE;
    if (!cmd_parse_options(&argc, &argv, entries, _("N"), summary))
        return NULL;
    if (argc != 2) {
        cmd_usage_error(command, argc < 2 ? _("which message? give its number")
                                          : _("give one message number"));
        return NULL;
    }
    MimeView *v = cmd_message_view(ctx, folder, argv[1]);
    *exit_code = v ? EXIT_OK : EXIT_FAIL;
    return v;
}
