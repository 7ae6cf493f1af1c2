# src/mime: GMime glue: view a message, attachments, uuencode, build outgoing mail.
src_libpostie_a_SOURCES += \
	src/mime/mime.h src/mime/header.h src/mime/private.h \
	src/mime/parse.c \
	src/mime/header.c \
	src/mime/gmime-fixes.c \
	src/mime/view.c \
	src/mime/charset.c \
	src/mime/flowed.c \
	src/mime/html.c \
	src/mime/uuencode.c \
	src/mime/tnef.c \
	src/mime/mailcap.c \
	src/mime/attach.c \
	src/mime/build.c \
	src/mime/reply.c \
	src/mime/crypto.h src/mime/crypto_private.h \
	src/mime/crypto.c \
	src/mime/crypto_verify.c \
	src/mime/crypto_decrypt.c \
	src/mime/inline_pgp.c \
	src/mime/crypto_build.c

# The commands built on mime/ (program only).
src_postie_SOURCES += src/cmd/message.h src/cmd/message.c
dist_man_MANS += doc/postie-show.1 doc/postie-attachments.1 doc/postie-save.1
