/* Printing delivery results for "postie send" and "postie flush". */
#include <config.h>

#include <stdio.h>
#include <sysexits.h>

#include "cmd/send_report.h"
#include "util/util.h"

static void
started(const char *account, guint n, gpointer data)
{
    SendReport *r = data;
    if (r->verbose && n > 0)
        fprintf(stderr, ngettext("%s: sending %u message\n",
                                 "%s: sending %u messages\n", n), account, n);
}

static void
progress(const char *account, guint done, guint total, gpointer data)
{
    SendReport *r = data;
    if (!r->verbose)
        return;
    if (r->tty)
        fprintf(stderr, "\r%s: %u/%u", account, done, total);
    if (r->tty && done == total)
        fputc('\n', stderr);
}

static const char *
status_word(SendStatus s)
{
    switch (s) {
    case SEND_STATUS_SENT: return _("sent");
    case SEND_STATUS_TEMPORARY: return _("not sent (will retry)");
    case SEND_STATUS_PERMANENT: return _("not sent (refused)");
    case SEND_STATUS_SKIPPED: return _("skipped (refused earlier; use --retry-failed)");
    }
    return "?";
}

static void
message_done(const SendResult *res, guint i, guint n, gpointer data)
{
    SendReport *r = data;
    gboolean ours = r->message_id && res->message_id &&
                    !g_strcmp0(r->message_id, res->message_id);
    if (res->status == SEND_STATUS_SKIPPED)
        r->skipped++;
    if (ours) {
        r->seen = TRUE;
        r->status = res->status;
    }
    for (guint k = 0; k < res->recipients->len; k++) {
        const SendRecipientResult *rr = res->recipients->pdata[k];
        if (rr->code >= 500 && (ours || !r->message_id))
            r->any_rcpt_rejected = TRUE;
    }
    gboolean show = r->verbose || res->status != SEND_STATUS_SENT;
    if (r->message_id && !ours && !r->verbose)
        show = FALSE;   /* postie send: only about the message at hand */
    if (!show)
        return;
    FILE *out = res->status == SEND_STATUS_SENT ? stdout : stderr;
    fprintf(out, "%s: %s%s%s%s\n", res->account, status_word(res->status),
            res->subject ? ": \"" : "", res->subject ? res->subject : "",
            res->subject ? "\"" : "");
    for (guint k = 0; k < res->recipients->len; k++) {
        const SendRecipientResult *rr = res->recipients->pdata[k];
        gboolean good = rr->code >= 200 && rr->code < 300;
        if (rr->code)
            fprintf(out, "  %s %s: %d\n", good ? _("accepted") : _("refused"), rr->address, rr->code);
        else
            fprintf(out, "  %s %s\n", _("not tried"), rr->address);
        if (!good && rr->reply)
            fprintf(out, "      %s\n", rr->reply);
    }
    if (res->error)
        fprintf(out, "  %s\n", res->error);
    fflush(out);
}

static void
finished(const char *account, guint sent, guint failed, const GError *error,
         gpointer data)
{
    SendReport *r = data;
    if (error)
        fprintf(stderr, "postie: %s: %s\n", account, error->message);
    else if (r->verbose)
        fprintf(stderr, _("%s: %u sent, %u not sent\n"), account, sent, failed);
}

const SendCallbacks send_report_callbacks = {
    .account_started = started,
    .progress = progress,
    .message_done = message_done,
    .account_finished = finished,
};

int
send_report_exit_code(const GError *error)
{
    if (!error)
        return EX_OK;
    if (error->domain != POSTIE_ERROR)
        return EX_SOFTWARE;
    switch (error->code) {
    case POSTIE_ERROR_CONFIG: return EX_CONFIG;
    case POSTIE_ERROR_FORMAT: return EX_DATAERR;
    case POSTIE_ERROR_IO: return EX_IOERR;
    case POSTIE_ERROR_NOSPACE: return EX_CANTCREAT;
    case POSTIE_ERROR_LOCKED: return EX_TEMPFAIL;
    case POSTIE_ERROR_NET: return EX_TEMPFAIL;
    case POSTIE_ERROR_NOT_FOUND: return EX_NOHOST;
    case POSTIE_ERROR_TLS: return EX_PROTOCOL;
    case POSTIE_ERROR_PROTOCOL: return EX_PROTOCOL;
    case POSTIE_ERROR_AUTH: return EX_NOPERM;
    case POSTIE_ERROR_INSECURE: return EX_NOPERM;
    case POSTIE_ERROR_UNSUPPORTED: return EX_UNAVAILABLE;
    case POSTIE_ERROR_REJECTED: return EX_UNAVAILABLE;
    case POSTIE_ERROR_TEMPORARY: return EX_TEMPFAIL;
    default: return EX_SOFTWARE;
    }
}
