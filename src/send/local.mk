# src/send: Outbox -> SMTP (libesmtp, logged in by postie) -> Sent.
src_libpostie_a_SOURCES += \
	src/send/send.h \
	src/send/private.h \
	src/send/headers.c \
	src/send/prepare.c \
	src/send/session.c \
	src/send/probe.c \
	src/send/relay.c \
	src/send/relay-connect.c \
	src/send/relay-watch.c \
	src/send/journal.c \
	src/send/reply.c \
	src/send/sasl.c \
	src/send/auth.c \
	src/send/outbox.c
dist_man_MANS += doc/postie-send.1 doc/postie-flush.1
# The commands' shared reporting (program only).
src_postie_SOURCES += src/cmd/send_report.h src/cmd/send_report.c
