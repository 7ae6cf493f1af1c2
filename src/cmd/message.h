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

/* The whole command line of a command that takes "[--folder F] N"
 * (argv[0] is the command): parses it with SUMMARY as --help text and
 * returns the rendered message, or NULL with *EXIT_CODE set (a usage
 * error, or a failure already printed). */
MimeView *cmd_message_from_args(CmdContext *ctx, int argc, char **argv,
                                const char *summary, int *exit_code);

#endif
