# src/oauth: OAuth 2 tokens for "postie oauth" (libcurl + json-glib).
src_libpostie_a_SOURCES += \
	src/oauth/oauth.h \
	src/oauth/provider.c \
	src/oauth/reply.c \
	src/oauth/http.c \
	src/oauth/flow.c \
	src/oauth/store.c \
	src/oauth/setup.c
dist_man_MANS += doc/postie-oauth.1
