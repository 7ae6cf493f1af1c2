/* libFuzzer target: KEY properties of the address book (inline public
 * keys).  Any line must be read without crashing; a key found is never
 * empty. */
#include <config.h>

#include <stdlib.h>

#include "abook/abook.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    char *line = g_strndup((const char *)data, size);
    AbookKeyKind kind;
    GBytes *key = abook_key_from_line(line, &kind);
    if (key && (g_bytes_get_size(key) == 0 || kind == ABOOK_KEY_NONE))
        abort();
    if (!key && kind != ABOOK_KEY_NONE)
        abort();
    if (key)
        g_bytes_unref(key);
    g_free(line);
    return 0;
}
