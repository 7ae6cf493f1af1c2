/* Test helper for the SMTP check of the first-run setup:
 *
 *   send-probe-helper ACCOUNT
 *       send_test_account() for ACCOUNT of the default configuration;
 *       prints "ok", or the error message, and exits 0 / 1.
 */
#include <config.h>

#include <stdio.h>

#include "config/conf.h"
#include "send/send.h"
#include "util/util.h"

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: send-probe-helper ACCOUNT\n");
        return 2;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(NULL, NULL, &error);
    if (!cfg) {
        fprintf(stderr, "%s\n", error->message);
        return 2;
    }
    Account *a = conf_find_account(cfg, argv[1]);
    if (!a) {
        fprintf(stderr, "no account %s\n", argv[1]);
        return 2;
    }
    if (!send_test_account(cfg, a, NULL, &error)) {
        printf("%s\n", error->message);
        return 1;
    }
    printf("ok\n");
    return 0;
}
