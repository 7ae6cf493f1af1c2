/* postie flush: deliver the messages waiting in the Outbox. */
#include <config.h>

#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/send_report.h"
#include "send/send.h"
#include "util/util.h"

int
cmd_flush(CmdContext *ctx, int argc, char **argv)
{
    g_autofree char *account = NULL;
    gboolean retry = FALSE, quiet = FALSE;
    GOptionEntry entries[] = {
        { "account", 'a', 0, G_OPTION_ARG_STRING, &account,
          N_("deliver only the messages of account NAME"), N_("NAME") },
        { "retry-failed", 'r', 0, G_OPTION_ARG_NONE, &retry,
          N_("also retry messages the server refused before"), NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          N_("print only failures"), NULL },
        { NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, "",
                           _("Delivers the Outbox: one SMTP session per account; "
                             "what the server accepted moves to Sent.")))
        return EX_USAGE;
    if (argc > 1) {
        cmd_usage_error("flush", _("unexpected argument '%s'"), argv[1]);
        return EX_USAGE;
    }
    PostieConfig *cfg = cmd_load_config(ctx);
    if (!cfg)
        return EX_CONFIG;

    SendReport report = { .verbose = !quiet, .tty = isatty(STDERR_FILENO) };
    g_autoptr(GError) error = NULL;
    guint sent = 0, failed = 0;
    gboolean ok = send_flush(cfg, account, retry ? SEND_FLUSH_RETRY_FAILED : 0,
                             &send_report_callbacks, &report, NULL, &sent, &failed, &error);
    if (!quiet)
        printf(_("%u sent, %u still in the Outbox\n"), sent, failed + report.skipped);
    if (ok)
        return EX_OK;
    if (error->code != POSTIE_ERROR_TEMPORARY && error->code != POSTIE_ERROR_REJECTED)
        cmd_print_error(error);
    return send_report_exit_code(error);
}
