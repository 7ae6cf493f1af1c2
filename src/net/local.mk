# src/net: One connection: TCP with timeouts, the OpenSSL TLS policy, buffered lines.
src_libpostie_a_SOURCES += \
	src/net/net.h src/net/private.h \
	src/net/conn.c \
	src/net/tls.c \
	src/net/tls_cas.c \
	src/net/https.c \
	src/net/curl.h src/net/curl.c
