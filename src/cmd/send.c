/* postie send: a sendmail for mutt, git send-email and cron.  Reads one
 * message on standard input, puts it into the Outbox, and (unless
 * --queue) delivers that account's Outbox at once.  Exit codes are from
 * sysexits.h, as sendmail callers expect. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/send_report.h"
#include "send/send.h"
#include "util/util.h"

#define MAX_MESSAGE (256u * 1024 * 1024)

/* sendmail options that change nothing for us: "-oi" (a lone dot does not
 * end the message; it never does here), delivery and error modes. */
static gboolean
ignorable(const char *a)
{
    static const char *const exact[] = { "-oi", "-i", "-bm", "-Am", "-Ac", NULL };
    for (int i = 0; exact[i]; i++)
        if (!strcmp(a, exact[i]))
            return TRUE;
    return FALSE;
}

/* Turn sendmail's syntax into one GOption understands: "-oXXX" options,
 * "-fADDR", "-rADDR", "-FNAME", "-NDSN", "-BTYPE", "-ODE". */
static char **
preprocess(int argc, char **argv, gboolean *notes_printed)
{
    GPtrArray *out = g_ptr_array_new();
    g_ptr_array_add(out, g_strdup(argv[0]));
    gboolean rest = FALSE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rest || a[0] != '-' || a[1] == '-' || a[1] == '\0') {
            if (!strcmp(a, "--"))
                rest = TRUE;
            g_ptr_array_add(out, g_strdup(a));
            continue;
        }
        if (ignorable(a))
            continue;
        if (a[1] == 'o' || a[1] == 'O' || (a[1] == 'd' && a[2]) ) {
            /* -oem, -odb, -oQ..., -OOption=value: no meaning here. */
            if (!strcmp(a, "-o") || !strcmp(a, "-O"))
                i++;   /* "-o X" form: skip the value */
            fprintf(stderr, _("postie send: ignoring sendmail option %s\n"), a);
            *notes_printed = TRUE;
            continue;
        }
        if ((a[1] == 'f' || a[1] == 'r') && a[2]) {
            g_ptr_array_add(out, g_strdup("-f"));
            g_ptr_array_add(out, g_strdup(a + 2));
            continue;
        }
        if (a[1] == 'r' && !a[2]) {
            g_ptr_array_add(out, g_strdup("-f"));
            continue;
        }
        if (a[1] == 'F' || a[1] == 'N' || a[1] == 'B' || a[1] == 'R' ||
            a[1] == 'V' || a[1] == 'X') {
            /* Full name, DSN, body type, ...: accepted and ignored. */
            if (!a[2] && i + 1 < argc)
                i++;
            fprintf(stderr, _("postie send: ignoring sendmail option %s\n"), a);
            *notes_printed = TRUE;
            continue;
        }
        g_ptr_array_add(out, g_strdup(a));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static GString *
read_stdin(GError **error)
{
    GString *s = g_string_sized_new(65536);
    char buf[65536];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            postie_set_error_errno(error, errno, "read", _("standard input"));
            g_string_free(s, TRUE);
            return NULL;
        }
        if (n == 0)
            break;
        if (s->len + (gsize)n > MAX_MESSAGE) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                        _("the message on standard input is larger than %u MB"),
                        MAX_MESSAGE / (1024 * 1024));
            g_string_free(s, TRUE);
            return NULL;
        }
        g_string_append_len(s, buf, n);
    }
    return s;
}

int
cmd_send(CmdContext *ctx, int argc, char **argv)
{
    gboolean notes = FALSE;
    g_auto(GStrv) args = preprocess(argc, argv, &notes);
    int n = (int)g_strv_length(args);
    char **pargv = args;   /* GOption rearranges, never frees */
    g_autofree char *account = NULL;
    g_autofree char *from = NULL;
    gboolean extract = FALSE, queue_only = FALSE, verbose = FALSE, dummy = FALSE;
    GOptionEntry entries[] = {
        { "account", 'a', 0, G_OPTION_ARG_STRING, &account,
          N_("send with account NAME (unless From names another account)"), N_("NAME") },
        { "read-recipients", 't', 0, G_OPTION_ARG_NONE, &extract,
          N_("also send to the To, Cc and Bcc of the message"), NULL },
        { "from", 'f', 0, G_OPTION_ARG_STRING, &from,
          N_("envelope sender (default: the account's address)"), N_("ADDR") },
        { "ignore-dots", 'i', 0, G_OPTION_ARG_NONE, &dummy,
          N_("accepted for sendmail compatibility (a lone dot never ends input)"), NULL },
        { "queue", 'q', 0, G_OPTION_ARG_NONE, &queue_only,
          N_("only put the message into the Outbox; 'postie flush' sends it"), NULL },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
          N_("print progress and the result for every recipient"), NULL },
        { NULL },
    };
    /* g_auto(GStrv) frees ARGS; GOption may reorder PARGV's pointers only. */
    char **copy = g_memdup2(pargv, sizeof(char *) * (gsize)(n + 1));
    int cargc = n;
    if (!cmd_parse_options(&cargc, &copy, entries, N_("[RCPT...]"),
                           _("Reads one message on standard input and sends it "
                             "(sendmail compatible).  Without recipients, the "
                             "message's To, Cc and Bcc are used."))) {
        g_free(copy);
        return EX_USAGE;
    }
    g_autoptr(GPtrArray) rcpts = g_ptr_array_new();
    for (int i = 1; i < cargc; i++)
        if (strcmp(copy[i], "--") != 0)
            g_ptr_array_add(rcpts, copy[i]);
    g_ptr_array_add(rcpts, NULL);

    PostieConfig *cfg = cmd_load_config(ctx);
    if (!cfg) {
        g_free(copy);
        return EX_CONFIG;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) input = read_stdin(&error);
    if (!input) {
        cmd_print_error(error);
        g_free(copy);
        return send_report_exit_code(error);
    }
    SendQueueOptions o = {
        .account = account,
        .envelope_from = from,
        .recipients = (const char *const *)rcpts->pdata,
        .extract_recipients = extract,
    };
    g_autofree char *used = NULL;
    g_autofree char *msgid = NULL;
    gboolean queued = send_queue(cfg, input->str, input->len, &o, &used, &msgid, &error);
    g_free(copy);
    if (!queued) {
        cmd_print_error(error);
        return send_report_exit_code(error);
    }
    gboolean tty = isatty(STDERR_FILENO);
    if (queue_only) {
        if (verbose || tty)
            fprintf(stderr, _("queued in the Outbox for account %s; "
                              "'postie flush' sends it\n"), used);
        return EX_OK;
    }

    SendReport report = { .verbose = verbose, .tty = tty, .message_id = msgid };
    guint sent = 0, failed = 0;
    gboolean ok = send_flush(cfg, used, SEND_FLUSH_DEFAULT, &send_report_callbacks,
                             &report, NULL, &sent, &failed, &error);
    if (report.seen && report.status == SEND_STATUS_SENT)
        return EX_OK;   /* ours went; others that failed were reported */
    if (report.seen && report.status == SEND_STATUS_PERMANENT)
        return report.any_rcpt_rejected ? EX_NOUSER : EX_UNAVAILABLE;
    /* Still queued: say so, with the reason's exit code. */
    fprintf(stderr, _("postie: the message stays in the Outbox; "
                      "'postie flush' will try again\n"));
    if (!ok && error && error->code != POSTIE_ERROR_TEMPORARY &&
        error->code != POSTIE_ERROR_REJECTED)
        return send_report_exit_code(error);
    return EX_TEMPFAIL;
}
