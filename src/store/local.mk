# src/store: mbox folders: index, cache, locking, append, flags, expunge.
src_libpostie_a_SOURCES += \
	src/store/store.h \
	src/store/private.h \
	src/store/scan.c \
	src/store/decode.c \
	src/store/folder.c \
	src/store/cache.c \
	src/store/lock.c \
	src/store/append.c \
	src/store/sync.c \
	src/store/dir.c
dist_man_MANS += doc/postie-list.1 doc/postie-folders.1
