# src/ui: The ncurses screen (part of the program, not the core library).
src_postie_SOURCES += \
	src/ui/ui.h \
	src/ui/ui.c
