# src/esmtp-plugins: the SASL mechanisms XOAUTH2 and OAUTHBEARER as
# libesmtp plugins (libesmtp 1.1 takes mechanisms only as sasl-NAME.so
# files it dlopen()s from its own directory).  They own nothing but the
# SASL strings; the token comes from postie through libesmtp's
# interaction callback (src/send/oauth_auth.c).  Built as plain shared
# objects (no libtool) and installed into $(esmtpplugindir), which
# configure finds in libesmtp (--with-esmtp-plugindir=DIR overrides).
esmtpplugin_PROGRAMS = \
	src/esmtp-plugins/sasl-xoauth2.so \
	src/esmtp-plugins/sasl-oauthbearer.so
esmtp_plugin_cflags = $(WARN_CFLAGS) $(ESMTP_CFLAGS) -fPIC -fvisibility=hidden
esmtp_plugin_ldflags = -shared -Wl,-z,defs -Wl,-z,now
src_esmtp_plugins_sasl_xoauth2_so_SOURCES = \
	src/esmtp-plugins/sasl-xoauth2.c \
	src/esmtp-plugins/oauth-sasl.c src/esmtp-plugins/oauth-sasl.h \
	src/esmtp-plugins/auth-plugin.h
src_esmtp_plugins_sasl_xoauth2_so_CFLAGS = $(esmtp_plugin_cflags)
src_esmtp_plugins_sasl_xoauth2_so_LDFLAGS = $(esmtp_plugin_ldflags)
src_esmtp_plugins_sasl_xoauth2_so_LDADD =
src_esmtp_plugins_sasl_oauthbearer_so_SOURCES = \
	src/esmtp-plugins/sasl-oauthbearer.c \
	src/esmtp-plugins/oauth-sasl.c src/esmtp-plugins/oauth-sasl.h \
	src/esmtp-plugins/auth-plugin.h
src_esmtp_plugins_sasl_oauthbearer_so_CFLAGS = $(esmtp_plugin_cflags)
src_esmtp_plugins_sasl_oauthbearer_so_LDFLAGS = $(esmtp_plugin_ldflags)
src_esmtp_plugins_sasl_oauthbearer_so_LDADD =
# postie builds the same strings to check their length before libesmtp
# would silently drop a response that is too long.
src_libpostie_a_SOURCES += \
	src/esmtp-plugins/oauth-sasl.c src/esmtp-plugins/oauth-sasl.h
EXTRA_DIST += src/esmtp-plugins/README
