/* Parsing messages with one set of lenient GMime options: real mail breaks
 * RFC 2047 (encoded words inside quotes and words), puts raw 8-bit text in
 * headers, and mislabels parameters; we still want to read it. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

static gpointer
init_once(gpointer unused)
{
    g_mime_init();
    return NULL;
}

void
mime_init(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_once, NULL);
}

static gpointer
options_once(gpointer unused)
{
    mime_init();
    GMimeParserOptions *po = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(po, TRUE);
    /* Raw 8-bit header text: UTF-8 if it is valid, else the usual
     * Western default. */
    static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
    g_mime_parser_options_set_fallback_charsets(po, fallback);
    return po;
}

GMimeParserOptions *
mime_parser_options(void)
{
    static GOnce once = G_ONCE_INIT;
    return g_once(&once, options_once, NULL);
}

GMimeMessage *
mime_parse(GBytes *raw, GError **error)
{
    mime_init();
    g_autoptr(GBytes) fixed = mime_fix_header_block(raw);
    if (fixed)
        raw = fixed;
    gsize len = 0;
    const guint8 *data = raw ? g_bytes_get_data(raw, &len) : NULL;
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)(data ? data : (const guint8 *)""), len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, mime_parser_options());
    g_object_unref(parser);
    g_object_unref(stream);
    if (msg) {
        mime_fix_headers(GMIME_OBJECT(msg), 0);
        mime_fill_bodiless_parts(GMIME_OBJECT(msg), 0);
    }
    if (!msg)
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("not a mail message: no header could be read"));
    return msg;
}

char *
mime_header_decoded(GMimeObject *obj, const char *name)
{
    const char *raw = g_mime_object_get_header(obj, name);
    if (!raw)
        return NULL;
    char *dec = mime_header_decode_text(raw);
    if (!dec)
        dec = g_strdup(raw);
    char *unfolded = g_mime_utils_header_unfold(dec);
    g_free(dec);
    return g_strstrip(unfolded);
}

static GBytes *
stream_to_bytes(GMimeStream *mem)
{
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    return g_bytes_new(ba->data, ba->len);
}

GBytes *
mime_part_decoded_checked(GMimePart *part, gboolean *damaged)
{
    if (damaged)
        *damaged = FALSE;
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return g_bytes_new(NULL, 0);
    /* Base64 and QP are decoded in gmime-fixes.c (GMime 3.2.13 defects). */
    GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
    if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE) {
        g_autoptr(GBytes) raw = mime_part_raw(part);
        gsize len = 0;
        const char *p = g_bytes_get_data(raw, &len);
        if (enc == GMIME_CONTENT_ENCODING_BASE64)
            return mime_base64_decode(p, len, damaged);
        return mime_qp_decode(p, len);
    }
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, mem);
    GBytes *b = stream_to_bytes(mem);
    g_object_unref(mem);
    return b;
}

GBytes *
mime_part_decoded(GMimePart *part)
{
    return mime_part_decoded_checked(part, NULL);
}

GBytes *
mime_part_raw(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return g_bytes_new(NULL, 0);
    GMimeStream *src = g_mime_data_wrapper_get_stream(content);
    GMimeStream *mem = g_mime_stream_mem_new();
    if (src) {
        g_mime_stream_reset(src);
        g_mime_stream_write_to_stream(src, mem);
        g_mime_stream_reset(src);
    }
    GBytes *b = stream_to_bytes(mem);
    g_object_unref(mem);
    return b;
}
