/* libFuzzer target for what fetch/ parses: the UIDL records file (local
 * but damageable), and fetched messages (hostile): header fields for the
 * filters, message preparation (whole and in pieces), the canonical
 * checksum, X-Postie-UIDL. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include <gmime/gmime.h>

#include "fetch/fetch.h"
#include "fetch/private.h"
#include "util/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_mime_init();      /* as main() does: the filters decode RFC 2047 */
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    g_autoptr(GError) error = NULL;
    UidlFile *f = uidls_parse("fuzz", text, size, &error);
    if (f) {
        gsize len;
        g_free(uidls_format(f, &len));
        uidls_close(f);
    }
    /* The same bytes as a journal replayed over empty records. */
    g_clear_error(&error);
    f = uidls_parse("fuzz", "", 0, &error);
    if (uidls_replay(f, text, size, &error)) {
        gsize len;
        g_free(uidls_format(f, &len));
    }
    uidls_close(f);

    static Filter any = { NULL, NULL, (char *)"any", FILTER_CONTAINS,
                          (char *)"x", NULL, (char *)"F" };
    static Filter to = { NULL, NULL, (char *)"To", FILTER_CONTAINS,
                         (char *)"@", NULL, (char *)"F" };
    (void)filter_matches(&any, text, size);
    (void)filter_matches(&to, text, size);

    GString *s = message_prepare(text, size, "acct", "uid");
    /* In pieces (a large message): the same bytes after the first line. */
    GString *pieces = g_string_new(NULL);
    MessagePrep p;
    message_prep_init(&p);
    message_prep_feed(&p, text, size / 2, pieces);
    message_prep_feed(&p, text + size / 2, size - size / 2, pieces);
    message_prep_finish(&p, pieces);
    gsize first = (gsize)(strchr(s->str, '\n') + 1 - s->str);
    if (pieces->len != s->len - first || memcmp(pieces->str, s->str + first, pieces->len) != 0)
        __builtin_trap();
    g_string_free(pieces, TRUE);
    gsize clen;
    g_free(message_canonical_sum(s->str, s->len, FALSE, &clen));
    g_free(message_canonical_sum(text, size, TRUE, &clen));
    g_string_free(s, TRUE);

    g_autofree char *z = g_strndup(text, size);
    char *a = NULL, *u = NULL;
    if (fetch_parse_uidl_header(z, &a, &u)) {
        g_free(a);
        g_free(u);
    }
    return 0;
}
