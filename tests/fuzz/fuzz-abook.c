/* libFuzzer target for the address book readers (--enable-fuzzing). */
#include <config.h>

#include <stdint.h>

#include <gmime/gmime.h>

#include "tests/fuzz/abook-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gboolean ready;
    if (!ready) {
        g_mime_init();
        ready = TRUE;
    }
    abook_check_input((const char *)data, size);
    return 0;
}
