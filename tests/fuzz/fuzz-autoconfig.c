/* libFuzzer target for the autoconfig parser (config-v1.1.xml from a
 * provider's web server: outside input). */
#include <config.h>

#include <stdint.h>

#include "config/autoconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Autoconfig *ac = autoconfig_parse((const char *)data, size, "fuzz@example.org", "fuzz", NULL);
    if (ac && ac->has_pop3)
        g_assert(ac->pop3.host && ac->pop3.port > 0 && ac->pop3.user);
    /* The OAuth issuer is only ever a host name (it picks a preset). */
    for (const char *c = ac ? ac->oauth_issuer : NULL; c && *c; c++)
        g_assert(g_ascii_isalnum(*c) || *c == '.' || *c == '-');
    if (ac)
        g_assert(!ac->oauth_preset);   /* only built-in entries name one */
    autoconfig_free(ac);
    return 0;
}
