# src/cmd: The command-line commands (part of the program, not the core library).
src_postie_SOURCES += \
	src/cmd/cmd.h \
	src/cmd/common.c \
	src/cmd/config_check.c \
	src/cmd/fetch.c \
	src/cmd/send.c \
	src/cmd/flush.c \
	src/cmd/list.c \
	src/cmd/folders.c \
	src/cmd/show.c \
	src/cmd/attachments.c \
	src/cmd/save.c \
	src/cmd/abook.c \
	src/cmd/oauth.c
