/* cmd/: the command-line commands, one file each.  Part of the program,
 * not of the core library: each command parses its options, calls the
 * core, and turns GErrors into messages and exit codes.
 *
 *   common.c       config loading, option parsing and error printing
 *   config_check.c postie config check
 *   (the other files are named after their command)
 */
#ifndef POSTIE_CMD_H
#define POSTIE_CMD_H

#include <stdio.h>

#include <glib.h>

#include "config/conf.h"

/* Exit codes.  Usage errors exit 2 everywhere; "send" and "flush" use
 * sysexits.h codes as sendmail callers expect. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
};

typedef struct {
    const char *config_path;   /* --config FILE, or NULL for the default */
    PostieConfig *config;      /* set by cmd_load_config */
    const char *open_folder;   /* -f/--folder: what the screen opens */
} CmdContext;

/* Each command gets its own name in argv[0] and its arguments after it. */
typedef int (*CmdFunc)(CmdContext *ctx, int argc, char **argv);

int cmd_config(CmdContext *ctx, int argc, char **argv);
int cmd_fetch(CmdContext *ctx, int argc, char **argv);
int cmd_send(CmdContext *ctx, int argc, char **argv);
int cmd_flush(CmdContext *ctx, int argc, char **argv);
int cmd_list(CmdContext *ctx, int argc, char **argv);
int cmd_folders(CmdContext *ctx, int argc, char **argv);
int cmd_show(CmdContext *ctx, int argc, char **argv);
int cmd_attachments(CmdContext *ctx, int argc, char **argv);
int cmd_save(CmdContext *ctx, int argc, char **argv);
int cmd_abook(CmdContext *ctx, int argc, char **argv);
int cmd_oauth(CmdContext *ctx, int argc, char **argv);

/* A subcommand of a command with several ("postie abook import"). */
typedef struct {
    const char *name;
    CmdFunc func;
} CmdSub;

/* "postie GROUP SUB ARGS...": run SUB from SUBS with argv[0] "GROUP SUB"
 * and the program name "postie GROUP SUB" (for GOption's messages).
 * Nothing given: USAGE to stderr, exit 2; -h/--help: USAGE to stdout. */
int cmd_run_subcommand(CmdContext *ctx, const char *group, const CmdSub *subs,
                       gsize n_subs, void (*usage)(FILE *out), int argc, char **argv);

/* Load the configuration once.  Prints every problem to stderr.  Returns
 * NULL (after printing why) when the file is missing, unreadable, or has
 * errors. */
PostieConfig *cmd_load_config(CmdContext *ctx);

/* Parse a command's options with GOption.  On a bad option prints the
 * error and a short usage line to stderr and returns FALSE (exit 2). */
gboolean cmd_parse_options(int *argc, char ***argv, const GOptionEntry *entries,
                           const char *parameters, const char *summary);

/* Print "postie: MESSAGE" to stderr. */
void cmd_print_error(const GError *error);
void cmd_errorf(const char *format, ...) G_GNUC_PRINTF(1, 2);
void cmd_verrorf(const char *format, va_list ap) G_GNUC_PRINTF(1, 0);
void cmd_usage_error(const char *command, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* The mail folder directory from the configuration, or the default when
 * no configuration exists (commands like "list" work without accounts). */
char *cmd_mail_dir(CmdContext *ctx);

/* A folder given on the command line as a name in the mail directory or
 * as a path (anything with a '/'); the default folders are created first. */
char *cmd_folder_path(CmdContext *ctx, const char *arg, GError **error);

#endif
