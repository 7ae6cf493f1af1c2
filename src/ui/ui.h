/* ui/: the ncurses screen.  Part of the program, not the core library.
 *
 *   ui.c         ui_main: the configuration (or setup), the folder
 *                directory and the terminal, then the main loop
 *   screen.c     the main loop (poll on the keyboard and the worker
 *                pipe), curses set-up, action dispatch
 *   draw.c       drawing untrusted UTF-8 by display width (wide and
 *                combining characters), padding and clipping
 *   colors.c     colour pairs from [colors]; off with NO_COLOR/color=false
 *   help.c       the `?` screen listing the current bindings
 *   folderlist.c the folder pane, changing folders, expunging (deleted
 *                mail to the Trash first, appended and fsynced)
 *   folderpane.c the pane's unread/total counts, new-mail notice, cursor
 *   msglist.c    the message list: view order, selection by message
 *                identity (not row), drawing rows, search (patterns from
 *                src/search)
 *   limit.c      reading patterns; the limit (l)
 *   tags.c       tag, tag by pattern, the ; prefix (view/tags.c keeps
 *                the tags by message identity)
 *   pipe.c       piping messages to a command (argv, no shell)
 *   preview.c    turning a message into display lines; the preview pane
 *   pager.c      the full-screen pager
 *   prompt.c     one-line input with completion, yes/no questions
 *   status.c     the status line, the key hint and the message line
 *   features.c   the worker thread (fetch, send) and the actions built
 *                on other areas
 *   attach.c     the attachments of a message: list, save, open
 *   editor.c     running the user's editor on a private file
 *   msglog.c     the message log: every message and error shown, with
 *                its time (the message-log key)
 *   compose.c    the compose form; groups expanded before sending
 *   forward.c    forwarding the tagged messages as attachments (;f)
 *   compose_crypto.c  sign / encrypt choice (key p), keys from the
 *                keyring or address book, the terminal for pinentry
 *   abookview.c  the address book: search as you type, add, edit,
 *                delete, merge duplicates, write to a contact
 *   setup.c      first run: the account form that writes the config
 *                (conf_write_new), the login checks (fetch_check_account,
 *                send_test_account: they also hand back the fingerprint of
 *                a refused certificate; the screen speaks no protocol);
 *                provider settings (autoconfig over HTTPS, built-ins),
 *                OAuth 2 providers (preset from the provider table or the
 *                file's issuer, the login through oauth/setup.c; no preset:
 *                say so and what to do), untrusted certificates pinned or
 *                trusted by CA file
 *
 * The logic without a screen (keys and actions, colours by name, the
 * layout, sorting, threading, the limit and the tags) is in view/, where
 * unit tests reach it.
 *
 * Call order: ui_main() loads the configuration (or runs setup when none
 * exists), opens the first folder and loops until the user quits.
 * Internals are declared in ui/private.h.
 */
#ifndef POSTIE_UI_H
#define POSTIE_UI_H

/* Run the screen on the configuration file CONFIG_PATH (NULL: the
 * default one) until the user quits; returns the exit code (0, 1 when it
 * could not start or OPEN_FOLDER could not be opened, 2 without a
 * terminal).  OPEN_FOLDER (-f; NULL: the default account's inbox) is a
 * folder name or an mbox path.  With no configuration file it starts the
 * first-run account setup. */
int ui_main(const char *config_path, const char *open_folder);

#endif
