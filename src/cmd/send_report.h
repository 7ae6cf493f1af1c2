/* cmd/: what "postie send" and "postie flush" share: printing delivery
 * results and turning errors into sysexits.h exit codes. */
#ifndef POSTIE_CMD_SEND_REPORT_H
#define POSTIE_CMD_SEND_REPORT_H

#include <glib.h>

#include "send/send.h"

typedef struct {
    gboolean verbose;          /* progress and results for every message */
    gboolean tty;              /* stderr is a terminal: progress in place */
    const char *message_id;    /* postie send: the message we queued */
    SendStatus status;         /* its outcome, when seen */
    gboolean seen;
    gboolean any_rcpt_rejected;
    guint skipped;             /* refused earlier, not retried */
} SendReport;

/* Callbacks that print to stderr (progress) and stdout (results). */
extern const SendCallbacks send_report_callbacks;

/* sysexits.h code for an error from send_queue()/send_flush(). */
int send_report_exit_code(const GError *error);

#endif
