/* What a TLS connection of postie costs before it connects:
 * net_tls_client_ctx_new(), as relay-connect.c calls it (OpenSSL reads
 * its configuration, builds an SSL_CTX, loads the CA file).
 *
 *   tls-setup start        start and exit (the same libraries, no TLS)
 *   tls-setup ctx CAFILE   start, set up the TLS context, exit
 *
 * bench/send/one.sh measures both with perf stat; the difference is the
 * set-up, a fixed cost of every `postie send` over TLS. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "net/net.h"

int
main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "ctx") == 0 && argc != 3)) {
        fprintf(stderr, "usage: tls-setup start | ctx CAFILE\n");
        return 2;
    }
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);   /* as main.c */
    if (strcmp(argv[1], "start") == 0)
        return 0;
    GError *error = NULL;
    SSL_CTX *ctx = net_tls_client_ctx_new(argv[2], &error);
    if (!ctx) {
        fprintf(stderr, "tls-setup: %s\n", error->message);
        g_error_free(error);
        return 1;
    }
    SSL_CTX_free(ctx);
    return 0;
}
