/* ui/: the ncurses screen.  Part of the program, not the core library.
 *
 *   screen.c     ui_main: curses set-up, the main loop (poll on the
 *                keyboard and the worker pipe), action dispatch
 *   layout.c     where each pane goes for the current terminal size
 *   draw.c       drawing untrusted UTF-8 by display width (wide and
 *                combining characters), padding and clipping
 *   colors.c     colour pairs from [colors]; off with NO_COLOR/color=false
 *   keymap.c     actions, their mutt-like default keys, [keys] rebinding
 *   help.c       the `?` screen listing the current bindings
 *   folderlist.c the folder pane and changing folders (names or mbox paths)
 *   folderpane.c the pane's unread/total counts, new-mail notice, cursor
 *   msglist.c    the message list: view order, selection by message
 *                identity (not row), drawing rows, search (patterns from
 *                src/search)
 *   limit.c      reading patterns; the limit (l)
 *   tags.c       tags by message identity, tag by pattern, the ; prefix
 *   pipe.c       piping messages to a command (argv, no shell)
 *   sort.c       sort keys computed once per folder, view ordering
 *   threads.c    threading by References / In-Reply-To
 *   preview.c    turning a message into display lines; the preview pane
 *   pager.c      the full-screen pager
 *   prompt.c     one-line input with completion, yes/no questions
 *   status.c     the status line, the key hint and the message line
 *   compose.c    the compose form; groups expanded before sending
 *   compose_crypto.c  sign / encrypt choice (key p), keys from the
 *                keyring or address book, the terminal for pinentry
 *   abookview.c  the address book: search as you type, add, edit,
 *                delete, merge duplicates, write to a contact
 *   setup.c      first run: the account form that writes the config
 *
 * Call order: ui_main() loads the configuration (or runs setup when none
 * exists), opens the first folder and loops until the user quits.
 * Internals are declared in ui/private.h.
 */
#ifndef POSTIE_UI_H
#define POSTIE_UI_H

#include "cmd/cmd.h"

/* Run the screen until the user quits; returns the exit code.  With no
 * configuration file it starts the first-run account setup. */
int ui_main(CmdContext *ctx);

/* Check the screen's sections of CFG, [keys] (action names, key specs)
 * and [colors] (element names, colours), adding ConfProblem* with
 * FILE:LINE to PROBLEMS.  Needs no terminal ("postie config check"). */
void ui_check_config(const PostieConfig *cfg, GPtrArray *problems);

#endif
