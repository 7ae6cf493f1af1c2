# src/search: mutt's pattern language; the fast folder text scan.
src_libpostie_a_SOURCES += \
	src/search/pattern.h \
	src/search/private.h \
	src/search/parse.c \
	src/search/match.c \
	src/search/bodyscan.c
