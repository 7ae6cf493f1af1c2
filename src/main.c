/* postie: a terminal mail client for POP3 users.
 *
 * main() sets up the locale and libraries, reads the global options and
 * hands the rest of the command line to a command from cmd/, or starts the
 * screen (ui/) when no command is given. */
#include <config.h>

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd/cmd.h"
#include "mime/header.h"
#include "ui/ui.h"
#include "util/util.h"

typedef struct {
    const char *name;
    CmdFunc func;
    const char *summary;
} Command;

static const Command commands[] = {
    { "fetch",       cmd_fetch,       N_("fetch new mail from POP3 accounts") },
    { "send",        cmd_send,        N_("send one message read from standard input (sendmail compatible)") },
    { "flush",       cmd_flush,       N_("deliver the messages waiting in the Outbox") },
    { "list",        cmd_list,        N_("list the messages of a folder") },
    { "folders",     cmd_folders,     N_("list, create, rename or delete folders") },
    { "show",        cmd_show,        N_("print a message as the pager shows it") },
    { "attachments", cmd_attachments, N_("list the attachments of a message") },
    { "save",        cmd_save,        N_("save the attachments of a message") },
    { "abook",       cmd_abook,       N_("query, import and export the address book") },
    { "oauth",       cmd_oauth,       N_("log in with OAuth 2 and print access tokens") },
    { "config",      cmd_config,      N_("check the configuration file") },
};

static void
print_usage(FILE *out)
{
    fprintf(out, _("Usage: postie [--config FILE] [-f FOLDER | COMMAND [ARGS...]]\n"));
    fprintf(out, _("       postie --help | --version\n\n"));
    fprintf(out, _("Without a command, postie opens its mail screen.\n\nCommands:\n"));
    for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, _("\nOptions:\n"
                   "  -c, --config FILE  use FILE instead of ~/.config/postie/config\n"
                   "  -f, --folder F     open folder F (a name, or any mbox file) on the screen\n"
                   "  -h, --help         show this help and exit\n"
                   "  -V, --version      show the version and exit\n\n"
                   "'postie COMMAND --help' describes each command; see postie(1).\n"));
}

static int G_GNUC_PRINTF(1, 2)
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cmd_verrorf(fmt, ap);
    va_end(ap);
    fprintf(stderr, _("Usage: postie [--config FILE] [COMMAND [ARGS...]]\n"
                      "Try 'postie --help' for more information.\n"));
    return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* POSTIE_LOCALEDIR lets the tests use catalogues from the build tree. */
    const char *localedir = g_getenv("POSTIE_LOCALEDIR");
    bindtextdomain(PACKAGE, localedir ? localedir : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
    /* A peer closing the connection must be an error, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    /* OpenSSL's exit handler frees every table it built (providers,
     * algorithm names, DRBGs) one by one: 0.3 ms of a 12 ms `postie
     * send`, for memory the kernel takes back at once.  This must be the
     * first OpenSSL call; it loads nothing else. */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);

    CmdContext ctx = { 0 };
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("postie %s\n", PACKAGE_VERSION);
            return EXIT_OK;
        } else if (strcmp(a, "--config") == 0 || strcmp(a, "-c") == 0) {
            if (i + 1 >= argc)
                return usage_error(_("option '%s' needs a file name"), a);
            ctx.config_path = argv[++i];
        } else if (g_str_has_prefix(a, "--config=")) {
            ctx.config_path = a + strlen("--config=");
        } else if (strcmp(a, "--folder") == 0 || strcmp(a, "-f") == 0) {
            if (i + 1 >= argc)
                return usage_error(_("option '%s' needs a folder name or file"), a);
            ctx.open_folder = argv[++i];
        } else if (g_str_has_prefix(a, "--folder=")) {
            ctx.open_folder = a + strlen("--folder=");
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-') {
            return usage_error(_("unknown option '%s'"), a);
        } else {
            break;
        }
    }

    if (ctx.open_folder && i < argc)
        return usage_error(_("-f/--folder is for the screen; commands take "
                             "their own --folder"));
    mime_init();
    int rc;
    if (i >= argc) {
        /* The set-up asks for a password; the rest is done by
         * conf_server_secret() when a secret is loaded. */
        secrets_protect_process();
        rc = ui_main(ctx.config_path, ctx.open_folder);
    } else {
        const Command *cmd = NULL;
        for (gsize k = 0; k < G_N_ELEMENTS(commands); k++)
            if (strcmp(commands[k].name, argv[i]) == 0)
                cmd = &commands[k];
        if (!cmd) {
            mime_shutdown();
            return usage_error(_("unknown command '%s'"), argv[i]);
        }
        g_autofree char *prgname = g_strdup_printf("postie %s", cmd->name);
        g_set_prgname(prgname);
        rc = cmd->func(&ctx, argc - i, argv + i);
    }
    if (ctx.config)
        conf_free(ctx.config);
    mime_shutdown();
    return rc;
}
