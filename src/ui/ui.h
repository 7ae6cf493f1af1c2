/* ui/: the ncurses screen.  Part of the program, not the core library.
 * ui_main() runs the screen until the user quits and returns an exit code.
 * With no configuration it starts the first-run account setup. */
#ifndef POSTIE_UI_H
#define POSTIE_UI_H

#include "cmd/cmd.h"

int ui_main(CmdContext *ctx);

#endif
