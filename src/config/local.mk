# src/config: Accounts and settings (GKeyFile), validation with FILE:LINE errors.
src_libpostie_a_SOURCES += \
	src/config/conf.h src/config/conf_private.h \
	src/config/conf.c \
	src/config/conf_lines.c \
	src/config/secret.c \
	src/config/write.c \
	src/config/autoconfig.h src/config/autoconfig.c \
	src/config/autoconfig_builtin.c
