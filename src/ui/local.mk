# src/ui: The ncurses screen (part of the program, not the core library).
src_postie_SOURCES += \
	src/ui/ui.h \
	src/ui/private.h \
	src/ui/ui.c \
	src/ui/screen.c \
	src/ui/terminal.c \
	src/ui/draw.c \
	src/ui/colors.c \
	src/ui/help.c \
	src/ui/folderlist.c \
	src/ui/msglist.c \
	src/ui/preview.c \
	src/ui/pager.c \
	src/ui/prompt.c \
	src/ui/status.c \
	src/ui/msglog.c \
	src/ui/features.c \
	src/ui/attach.c \
	src/ui/compose.c \
	src/ui/compose_crypto.h src/ui/compose_crypto.c \
	src/ui/abookview.c \
	src/ui/editor.c \
	src/ui/setup.c \
	src/ui/limit.c \
	src/ui/tags.c \
	src/ui/pipe.c \
	src/ui/folderpane.c \
	src/ui/forward.c

# The screen's keys and behaviour.
dist_man_MANS += doc/postie-keys.7
EXTRA_DIST += bench/ui/bigfolder.sh

