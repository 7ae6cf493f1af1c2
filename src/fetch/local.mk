# src/fetch: POP3 account -> folders: what to download, filters, UIDL records, what to delete.
src_libpostie_a_SOURCES += \
	src/fetch/fetch.h src/fetch/private.h \
	src/fetch/fetch.c \
	src/fetch/account.c \
	src/fetch/batch.c \
	src/fetch/recover.c \
	src/fetch/uidls.c \
	src/fetch/marks.c \
	src/fetch/filter.c \
	src/fetch/plan.c \
	src/fetch/message.c \
	src/fetch/spool.c
dist_man_MANS += doc/postie-fetch.1
EXTRA_DIST += bench/fetch/run.sh bench/fetch/floor.py
