# src/util: Small shared pieces: errors, terminal-safe text, atomic files, paths,
# secrets, SASL client messages, child programs.
src_libpostie_a_SOURCES += \
	src/util/util.h src/util/i18n.h \
	src/util/error.c \
	src/util/termsafe.c \
	src/util/atomicfile.c \
	src/util/paths.c \
	src/util/secret.c \
	src/util/sasl.c \
	src/util/spawn.c \
	src/util/sha256.c \
	src/util/strhash.c
src_libpostie_a_SOURCES += src/util/safename.h src/util/safename.c
