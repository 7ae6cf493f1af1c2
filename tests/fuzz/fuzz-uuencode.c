/* libFuzzer target: the inline uuencode scanner.  Any text must scan
 * without crashing; every block found must re-encode and scan back to the
 * same bytes; the text around the blocks must come back unchanged in
 * length accounting (offsets inside the rest). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* A GLib critical means we called an API wrongly: treat it as a crash. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    mime_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    mime_init();
    GString *rest = g_string_new(NULL);
    GPtrArray *blocks = mime_uu_scan((const char *)data, size, rest);
    gsize last = 0;
    for (guint i = 0; i < blocks->len; i++) {
        const MimeUuBlock *b = blocks->pdata[i];
        if (b->rest_offset < last || b->rest_offset > rest->len)
            abort();
        last = b->rest_offset;

        /* Round trip: encode what was decoded, scan it again. */
        gsize len = 0;
        const guint8 *bytes = g_bytes_get_data(b->data, &len);
        GString *enc = g_string_new(NULL);
        mime_uu_encode_block(enc, "x", bytes, len);
        GPtrArray *again = mime_uu_scan(enc->str, enc->len, NULL);
        if (again->len != 1)
            abort();
        const MimeUuBlock *c = again->pdata[0];
        if (c->damaged || !g_bytes_equal(c->data, b->data))
            abort();
        g_ptr_array_unref(again);
        g_string_free(enc, TRUE);
    }
    g_ptr_array_unref(blocks);
    g_string_free(rest, TRUE);
    return 0;
}
