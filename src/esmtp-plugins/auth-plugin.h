/* The interface between libesmtp and a SASL mechanism plugin.
 *
 * Declared here because Debian does not install it: this is
 * `struct auth_client_plugin` from libESMTP's auth-plugin.h
 * (https://github.com/libesmtp/libESMTP, auth-plugin.h, identical in
 * v1.0.6, v1.1.0 and master; copyright Brian Stafford, LGPL 2.1 or
 * later).  libesmtp dlopen()s "sasl-<lower-case name>.so" from its
 * compiled-in plugin directory and reads the symbol `sasl_client`.
 * The layout must stay exactly as upstream's.
 */
#ifndef POSTIE_AUTH_PLUGIN_H
#define POSTIE_AUTH_PLUGIN_H

#include <auth-client.h>

typedef int (*auth_init_client_t)(void *pctx);
typedef void (*auth_destroy_client_t)(void *ctx);

struct auth_client_plugin {
    /* Plugin information */
    const char *keyw;               /* mechanism keyword */
    const char *description;        /* description of the mechanism */
    /* Plugin instance */
    auth_init_client_t init;        /* create the context (*pctx) */
    auth_destroy_client_t destroy;  /* destroy it */
    /* Authentication */
    auth_response_t response;       /* answer a challenge (NULL: initial) */
    int flags;                      /* AUTH_PLUGIN_* */
    /* Security layer (none for bearer tokens) */
    int ssf;
    auth_recode_t encode;
    auth_recode_t decode;
};

#endif
