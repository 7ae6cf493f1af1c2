# src/abook: Address book: vCard storage, lookup and completion, import and export.
src_libpostie_a_SOURCES += \
	src/abook/abook.h src/abook/private.h \
	src/abook/contact.c \
	src/abook/book.c \
	src/abook/used.c \
	src/abook/search.c \
	src/abook/vcard.c \
	src/abook/vcard_write.c \
	src/abook/csv.c \
	src/abook/ldif.c \
	src/abook/mutt.c \
	src/abook/import.c \
	src/abook/key.c
dist_man_MANS += doc/postie-abook.1
