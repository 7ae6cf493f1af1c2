/* Shared by show, attachments and save: find message N of a folder and
 * render it the way the pager does. */
#ifndef POSTIE_CMD_MESSAGE_H
#define POSTIE_CMD_MESSAGE_H

#include "cmd/cmd.h"
#include "mime/mime.h"

/* FOLDER (a name in the mail directory or a path; NULL: Inbox) and
 * NUMBER (1-based, as "postie list" shows) -> the rendered message.
 * Prints the reason and returns NULL on failure. */
MimeView *cmd_message_view(CmdContext *ctx, const char *folder, const char *number);

#endif
