/* libFuzzer target: the inline PGP scanner.  Any text must scan without
 * crashing; blocks must be in order, inside the text, not overlapping,
 * and each must start with its BEGIN marker. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "mime/crypto.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    const char *text = (const char *)data;
    GArray *blocks = mime_pgp_scan(text, size);
    gsize last = 0;
    for (guint i = 0; i < blocks->len; i++) {
        const MimePgpBlock *b = &g_array_index(blocks, MimePgpBlock, i);
        if (b->start < last || b->end <= b->start || b->end > size)
            abort();
        const char *marker = b->kind == MIME_PGP_SIGNED ? "-----BEGIN PGP SIGNED MESSAGE-----"
                                                        : "-----BEGIN PGP MESSAGE-----";
        if (b->end - b->start < strlen(marker) || memcmp(text + b->start, marker, strlen(marker)) != 0)
            abort();
        if (b->start > 0 && text[b->start - 1] != '\n')
            abort();
        last = b->end;
    }
    g_array_unref(blocks);
    return 0;
}
