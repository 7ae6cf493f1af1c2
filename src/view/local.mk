# src/view: The screen's logic without a screen (part of the core library,
# so that unit tests reach it): keys and actions, sorting, threading,
# limiting and tagging the message list, the layout of the panes.
src_libpostie_a_SOURCES += \
	src/view/view.h \
	src/view/keymap.c \
	src/view/colors.c \
	src/view/sort.c \
	src/view/threads.c \
	src/view/tags.c \
	src/view/layout.c
