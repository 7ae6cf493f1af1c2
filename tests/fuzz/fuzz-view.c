/* libFuzzer target: any bytes as a mail message through the viewer, the
 * reply builder and the pieces the viewer uses.  Must never crash, hang
 * or read out of bounds; whatever is returned for display must be
 * terminal-safe. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/private.h"
#include "util/util.h"

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

static void
check_safe(const char *text)
{
    if (!g_utf8_validate(text, -1, NULL))
        abort();
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c != '\n' && (c < 0x20 || (c >= 0x7f && c < 0xa0)))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    mime_init();
    GBytes *raw = g_bytes_new(data, size);
    MimeViewOptions opts = { NULL, NULL, TRUE };   /* no helper programs */
    MimeView *v = mime_view_new(raw, &opts, NULL);
    if (v) {
        char *text = mime_view_to_text(v);
        check_safe(text);
        g_free(text);
        for (guint i = 0; i < v->attachments->len; i++) {
            const MimeAttachment *a = v->attachments->pdata[i];
            check_safe(a->display_name);
            check_safe(a->content_type);
            if (a->size != g_bytes_get_size(a->data))
                abort();
        }
        mime_view_free(v);
    }
    static const char *const own[] = { "me@example.org", NULL };
    for (int kind = MIME_REPLY; kind <= MIME_FORWARD_INLINE; kind++) {
        MimeDraft *d = mime_reply_draft(raw, (MimeReplyKind)kind, own, &opts, NULL);
        mime_draft_free(d);
    }
    g_bytes_unref(raw);

    /* The GMime workarounds (gmime-fixes.c) on the raw bytes. */
    gboolean damaged = FALSE;
    g_bytes_unref(mime_base64_decode((const char *)data, size, &damaged));
    g_bytes_unref(mime_qp_decode((const char *)data, size));
    char *nul = g_strndup((const char *)data, size);
    /* header.h, which store, abook, send, fetch and ui use. */
    char *field = mime_header_get((const char *)data, size, "Subject");
    g_free(field);
    GPtrArray *boxes = mime_address_list_parse(nul);
    if (boxes)
        g_ptr_array_unref(boxes);
    g_free(mime_address_list_display(nul));
    char *words = mime_fix_encoded_words(nul);
    char *decoded = mime_header_decode_text(nul);
    g_free(decoded);
    g_free(words);
    g_free(nul);
    /* The TNEF reader, as it is and behind a TNEF signature so the
     * fuzzer reaches the attributes and MAPI properties quickly. */
    GPtrArray *files = mime_tnef_files(data, size, &damaged);
    if (files)
        g_ptr_array_unref(files);
    GByteArray *tnef = g_byte_array_new();
    g_byte_array_append(tnef, (const guint8 *)"\x78\x9f\x3e\x22\x01\x00", 6);
    g_byte_array_append(tnef, data, (guint)size);
    files = mime_tnef_files(tnef->data, tnef->len, &damaged);
    if (!files)
        abort();
    for (guint i = 0; i < files->len; i++) {
        const MimeTnefFile *f = files->pdata[i];
        if (f->name && !g_utf8_validate(f->name, -1, NULL))
            abort();
    }
    g_ptr_array_unref(files);
    g_byte_array_unref(tnef);

    /* Every charset path: WHATWG labels, ISO-2022-JP via CP932,
     * substitution per bad sequence.  The result must be valid UTF-8. */
    static const char *const charsets[] = { "iso-2022-jp", "shift_jis", "ks_c_5601-1987",
                                            "gb2312", "iso-8859-1", "us-ascii", "big5",
                                            "x-unknown", NULL };
    for (const char *const *cs = charsets; *cs; cs++) {
        char *u = mime_charset_to_utf8((const char *)data, size, *cs);
        if (!g_utf8_validate(u, -1, NULL))
            abort();
        g_free(u);
    }

    /* The text pieces on the raw bytes as well. */
    char *text = mime_charset_to_utf8((const char *)data, size, "utf-8");
    char *flowed = mime_flowed_reflow(text, size % 2);
    char *html = mime_html_to_text_builtin(text);
    char *subject = mime_subject_strip_prefixes(text);
    g_free(subject);
    g_free(html);
    g_free(flowed);
    g_free(text);
    return 0;
}
