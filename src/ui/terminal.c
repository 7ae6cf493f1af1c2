/* Starting curses the same way for the main screen and the setup form,
 * with one workaround for the ncurses of Debian 12.
 *
 * ncurses 6.4 flushes its output after every cursor movement until the
 * program has once come back from "shell mode" (_nc_mvcur flushes while
 * SCREEN._endwin is ewInitial, and only doupdate's return from endwin()
 * sets it to ewRunning).  So every refresh reached the terminal as one
 * write per row or run of cells: dozens of system calls, and over ssh
 * dozens of packets, with rows of the new screen showing next to rows of
 * the old one.  One endwin() and refresh() right after initscr(), before
 * anything is drawn, puts it into the state it has after any shell
 * escape, where a refresh is one write.  The terminal sees only the
 * alternate screen being entered, left and entered again in two
 * back-to-back writes. */
#include <config.h>

#include "ui/private.h"

gboolean
terminal_start(const PostieConfig *cfg, GPtrArray *problems)
{
    set_escdelay(25);
    if (!initscr())
        return FALSE;
    endwin();
    refresh();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    colors_init(cfg, problems);
    return TRUE;
}
