# src/pop3: The POP3 protocol only (RFC 1939, 2449, 2595, 5034).
src_libpostie_a_SOURCES += \
	src/pop3/pop3.h src/pop3/private.h \
	src/pop3/parse.c \
	src/pop3/session.c \
	src/pop3/auth.c \
	src/pop3/scan.c \
	src/pop3/pipeline.c
